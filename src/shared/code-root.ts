/**
 * The code root: the directory main runs from — src/ from source (tsx, vitest) and in the tests' compiled copy of
 * it, dist/ when built. The files the server finds at run time (migrations, styles, the newsroom app, the database
 * template, the database thread's script) are named from here, so they resolve alike from a module two levels
 * below it (src/db/migrate.ts) and from the bundle, where the same code sits in a file directly in dist/.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The nearest directory above this module's file that holds main.ts or main.js. */
function findCodeRoot(): URL {
  for (let dir = new URL("./", import.meta.url); dir.pathname !== "/"; dir = new URL("../", dir)) {
    if (existsSync(new URL("main.ts", dir)) || existsSync(new URL("main.js", dir))) return dir;
  }
  throw new Error(`no main.ts or main.js above ${fileURLToPath(import.meta.url)}`);
}

const CODE_ROOT = findCodeRoot();

/** `relative` (e.g. "../src/db/migrations/") as a file path from the code root. */
export function fromCodeRoot(relative: string): string {
  return fileURLToPath(new URL(relative, CODE_ROOT));
}
