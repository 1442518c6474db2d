import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

function walk(dir, pattern, out) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (entry === "dist" || entry === "dist.next") continue;
    if (statSync(path).isDirectory()) walk(path, pattern, out);
    else if (pattern.test(entry) && !/\.test\.tsx?$/.test(entry)) out.push(path);
  }
  return out;
}

function hashOf(files) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest("hex");
}

/** A hash of every source file the server's bundle is made from, the migrations its template holds, the settings. */
export function sourceFingerprint() {
  return hashOf([
    ...walk("src", /\.(ts|tsx|sql)$/, []),
    "tsconfig.json",
    "scripts/bundle-server.mjs",
    "package-lock.json",
  ]);
}

/** A hash of everything the newsroom app's bundle is made from. */
export function adminFingerprint() {
  return hashOf([...walk("admin", /\.(ts|tsx|css|html)$/, []), "package-lock.json"]);
}
