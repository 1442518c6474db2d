import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `mkdir -p` that reports the real reason it failed: Node's recursive mkdir says ENOENT on a read-only file
 * system or in a directory it may not write, so the first missing directory is made alone to learn why.
 */
export function makeDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    let first = path;
    while (dirname(first) !== first && !existsSync(dirname(first))) first = dirname(first);
    mkdirSync(first);
    throw err;
  }
}
