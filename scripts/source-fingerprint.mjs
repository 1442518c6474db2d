import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, out) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|tsx)$/.test(entry) && !/\.test\.tsx?$/.test(entry)) out.push(path);
  }
  return out;
}

/** A hash of every source file the build compiles, plus the compiler settings. */
export function sourceFingerprint() {
  const hash = createHash("sha256");
  for (const file of [...walk("src", []), "tsconfig.json", "tsconfig.build.json", "package-lock.json"]) {
    hash.update(file).update(readFileSync(file));
  }
  return hash.digest("hex");
}
