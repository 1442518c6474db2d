// Bundles the server into dist/ (scripts/bundle-server.mjs), with dist/pgdata-template (the embedded database a
// first start copies), and the newsroom app (admin/) into admin/dist with Vite, recording what each was built
// from so `npm start` rebuilds only what changed. Each is built into a fresh folder and swapped in only on
// success: a failed build keeps the last good one.
// `node scripts/build.mjs admin` builds the newsroom app alone (the tests need it, not the built server).
import { execFileSync } from "node:child_process";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { adminFingerprint, sourceFingerprint } from "./source-fingerprint.mjs";

const only = process.argv[2];

/** Runs one step of the build, saying what it is before and how long it took after. */
function step(what, args) {
  process.stdout.write(`  ${what}…\n`);
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: "inherit" });
  process.stdout.write(`  ${what}: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function swapIn(next, final, fingerprint) {
  writeFileSync(`${next}/.source-fingerprint`, fingerprint);
  rmSync(final, { recursive: true, force: true });
  renameSync(next, final);
}

if (only !== "admin") {
  const fingerprint = sourceFingerprint();
  rmSync("dist.next", { recursive: true, force: true });
  step("bundling the server (esbuild, to dist/)", ["scripts/bundle-server.mjs", "dist.next"]);
  // The empty database a first start copies instead of running initdb and every migration (src/db/template.ts).
  step("creating the empty database a first start copies", ["scripts/write-db-template.mjs", "dist.next"]);
  swapIn("dist.next", "dist", fingerprint);
}

if (only !== "server") {
  const fingerprint = adminFingerprint();
  rmSync("admin/dist.next", { recursive: true, force: true });
  step("bundling the newsroom app (Vite, to admin/dist/)", [
    "node_modules/vite/bin/vite.js",
    "build",
    "--logLevel",
    "warn",
    "--config",
    "admin/vite.config.ts",
    "--outDir",
    "dist.next",
  ]);
  swapIn("admin/dist.next", "admin/dist", fingerprint);
}
