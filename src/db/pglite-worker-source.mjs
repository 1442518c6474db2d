// The worker's entry when Broadsheet runs from source (vitest, tsx). Neither vitest's transform nor a parent's
// `--import tsx` reaches a worker thread on Node 20, and loading tsx in each thread cost about 0.2 s of CPU for
// every database opened (hundreds in a test run). So pglite-worker.ts is compiled to JavaScript once for each
// version of its text (by typescript, a development dependency) and kept in node_modules/.cache, where later
// threads import it. The build runs dist/db/pglite-worker.js directly and never loads this file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { threadId } from "node:worker_threads";

const text = readFileSync(new URL("./pglite-worker.ts", import.meta.url), "utf8");
const version = createHash("sha256").update(text).digest("hex").slice(0, 16);
const cache = fileURLToPath(new URL("../../node_modules/.cache/broadsheet-db-thread/", import.meta.url));
const compiled = `${cache}pglite-worker-${version}.mjs`;

/** JavaScript that can run from the cache, or undefined if it imports a file beside it (tsx resolves those). */
async function transpile() {
  const { default: ts } = await import("typescript");
  const { outputText } = ts.transpileModule(text, {
    fileName: "pglite-worker.ts",
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
  });
  return /\bfrom\s+["']\.{1,2}\//.test(outputText) ? undefined : outputText;
}

if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const output = await transpile();
  if (output === undefined) {
    const { tsImport } = await import("tsx/esm/api");
    await tsImport("./pglite-worker.ts", import.meta.url);
  } else {
    // Written whole under a name of its own, then renamed: threads starting together never read half a file.
    mkdirSync(cache, { recursive: true });
    const partial = `${compiled}.${process.pid}-${threadId}`;
    writeFileSync(partial, output);
    renameSync(partial, compiled);
    await import(pathToFileURL(compiled).href);
  }
}
