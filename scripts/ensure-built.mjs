// Builds dist/ when it is missing or older than the sources; otherwise does nothing, quickly.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { sourceFingerprint } from "./source-fingerprint.mjs";

let built = "";
try {
  built = readFileSync("dist/.source-fingerprint", "utf8");
} catch {
  // Not built yet.
}
if (built !== sourceFingerprint()) {
  process.stdout.write("Building Broadsheet (first start or changed sources)…\n");
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
