// Compiles src/ to dist/ with tsc, with dist/pgdata-template (the embedded database a first start copies), and
// bundles the newsroom app (admin/) into admin/dist with Vite, recording what each was built from so `npm start`
// rebuilds only what changed. Each is built into a fresh folder and swapped in only on success: a failed build
// keeps the last good one.
// `node scripts/build.mjs admin` builds the newsroom app alone (the tests need it, not the compiled server).
import { execFileSync } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { adminFingerprint, sourceFingerprint } from "./source-fingerprint.mjs";

const only = process.argv[2];

function swapIn(next, final, fingerprint) {
  writeFileSync(`${next}/.source-fingerprint`, fingerprint);
  rmSync(final, { recursive: true, force: true });
  renameSync(next, final);
}

if (only !== "admin") {
  const fingerprint = sourceFingerprint();
  rmSync("dist.next", { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json", "--outDir", "dist.next"],
    { stdio: "inherit" },
  );
  // The empty database a first start copies instead of running initdb and every migration (src/db/template.ts).
  execFileSync(process.execPath, ["scripts/write-db-template.mjs", "dist.next"], { stdio: "inherit" });
  swapIn("dist.next", "dist", fingerprint);
}

if (only !== "server") {
  const fingerprint = adminFingerprint();
  rmSync("admin/dist.next", { recursive: true, force: true });
  execFileSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "admin/vite.config.ts", "--outDir", "dist.next"],
    { stdio: "inherit" },
  );
  swapIn("admin/dist.next", "admin/dist", fingerprint);
}
