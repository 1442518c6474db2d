// Compiles src/ to dist/ with tsc and records what it built from, so `npm start` rebuilds only when needed.
// It compiles into a fresh folder and swaps it in only on success: a failed build keeps the last good one.
import { execFileSync } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { sourceFingerprint } from "./source-fingerprint.mjs";

const fingerprint = sourceFingerprint();
rmSync("dist.next", { recursive: true, force: true });
execFileSync(
  process.execPath,
  ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", "dist.next"],
  {
    stdio: "inherit",
  },
);
writeFileSync("dist.next/.source-fingerprint", fingerprint);
rmSync("dist", { recursive: true, force: true });
renameSync("dist.next", "dist");
