// Compiles src/ to dist/ with tsc and records what it built from, so `npm start` rebuilds only when needed.
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { sourceFingerprint } from "./source-fingerprint.mjs";

rmSync("dist", { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
writeFileSync("dist/.source-fingerprint", sourceFingerprint());
