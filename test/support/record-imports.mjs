// Loaded with `node --import` (through NODE_OPTIONS) by tests that check what a process loads and when: every
// module it resolves — ESM imports, dynamic import(), and CommonJS require() — is appended, one URL or path a
// line, to the file named by RECORD_IMPORTS_FILE.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

const file = process.env.RECORD_IMPORTS_FILE;
if (!file) throw new Error("RECORD_IMPORTS_FILE names the file to record into");

register("./record-imports-hooks.mjs", import.meta.url, { data: { file } });

const load = Module._load;
Module._load = function recordedLoad(request, parent, isMain) {
  const loaded = load.call(this, request, parent, isMain);
  try {
    appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
  } catch {
    // A builtin or an unresolvable request: nothing from node_modules.
  }
  return loaded;
};
