/**
 * src/ as plain JavaScript, for the tests that start the server as a process. Run through tsx, each start spent
 * about 2 s of CPU loading tsx and passing every module through its loader thread; compiled, a start costs what
 * `node dist/main.js` does. Each file is transpiled on its own (no type check: `npm run typecheck` does that)
 * into a mirror of src/, and every other file (migrations, styles, images) is linked there, so the paths the code
 * finds relative to itself (`../../src/db/migrations/`, `../../admin/dist/`) resolve as they do from src/.
 * Like the templates, it is made once per version of the sources (global-setup.ts).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  jsx: ts.JsxEmit.ReactJSX,
  jsxImportSource: "preact",
  verbatimModuleSyntax: true,
};

/** Writes `root`/src/ compiled into `target`/src/, with `target`/admin linked to `root`/admin; returns main.js. */
export function compileSource(root: string, target: string): string {
  for (const file of readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })) {
    const from = join(root, "src", file);
    if (statSync(from).isDirectory() || /\.test\.tsx?$|\.d\.ts$/.test(file)) continue;
    const to = join(target, "src", file);
    mkdirSync(dirname(to), { recursive: true });
    if (/\.tsx?$/.test(file)) {
      const { outputText } = ts.transpileModule(readFileSync(from, "utf8"), {
        fileName: file,
        compilerOptions: OPTIONS,
      });
      writeFileSync(to.replace(/\.tsx?$/, ".js"), outputText);
    } else if (/\.m?js$/.test(file)) {
      // Copied rather than linked: Node would run a linked module from where the link points.
      copyFileSync(from, to);
    } else {
      symlinkSync(from, to);
    }
  }
  symlinkSync(join(root, "admin"), join(target, "admin"));
  return join(target, "src", "main.js");
}
