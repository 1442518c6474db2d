/**
 * Each module's CONTEXT.md stays true to the code: every file it names exists, and every function or value it
 * names in camelCase is still written somewhere in the server's source.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SRC = join(ROOT, "src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const sourceFiles = filesUnder(SRC);
const fileNames = new Set(sourceFiles.map((f) => basename(f)));
const code = sourceFiles
  .filter((f) => /\.(ts|tsx|mjs)$/.test(f))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");
const modules = readdirSync(SRC).filter((entry) => existsSync(join(SRC, entry, "CONTEXT.md")));

/**
 * A file named with a folder is looked for from the module, from src/ and from the root; a bare name anywhere. A
 * built file (`dist/…js`) is looked for as the source it is built from, which exists before any build.
 */
function fileExists(moduleDir: string, name: string): boolean {
  const built = /^dist\/(.+)\.js$/.exec(name);
  if (built) return [".ts", ".tsx", ".mjs"].some((ext) => existsSync(join(SRC, `${built[1]}${ext}`)));
  if (!name.includes("/")) return fileNames.has(name) || existsSync(join(ROOT, name));
  return [moduleDir, SRC, ROOT].some((base) => existsSync(join(base, name)));
}

test("every module has a CONTEXT.md", () => {
  const folders = readdirSync(SRC).filter((entry) => statSync(join(SRC, entry)).isDirectory());
  // shared/ is a set of one-concept files, each saying what it is in its own first comment.
  expect(folders.filter((f) => f !== "shared" && !modules.includes(f))).toEqual([]);
});

test("the files, functions and values a CONTEXT.md names exist", () => {
  const stale: string[] = [];
  for (const module of modules) {
    const path = join(SRC, module, "CONTEXT.md");
    const text = readFileSync(path, "utf8");
    for (const [, token] of text.matchAll(/`([^`\n]+)`/g)) {
      if (!token) continue;
      const where = `${relative(ROOT, path)}: \`${token}\``;
      if (/^[\w./-]+\.(ts|tsx|mjs|js|css|sql)$/.test(token)) {
        if (!fileExists(join(SRC, module), token)) stale.push(where);
      } else if (/^[a-z][a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*(\(\))?$/.test(token)) {
        const name = token.replace(/\(\)$/, "");
        if (!new RegExp(`\\b${name}\\b`).test(code)) stale.push(where);
      }
    }
  }
  expect(stale).toEqual([]);
});

/** STYLE.md: a CONTEXT.md is a room's short guide, 60 lines at most. */
const MAX_CONTEXT_LINES = 60;
test(`a CONTEXT.md is ${MAX_CONTEXT_LINES} lines at most`, () => {
  const long = modules.filter(
    (module) =>
      readFileSync(join(SRC, module, "CONTEXT.md"), "utf8")
        .trimEnd()
        .split("\n").length > MAX_CONTEXT_LINES,
  );
  expect(long).toEqual([]);
});
