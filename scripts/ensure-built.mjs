// Builds what is missing or older than its sources (the server in dist/, the newsroom app in admin/dist);
// otherwise does nothing, quickly. `node scripts/ensure-built.mjs admin` looks at the newsroom app alone.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { adminFingerprint, sourceFingerprint } from "./source-fingerprint.mjs";

const only = process.argv[2];
const builtFrom = (dir) => {
  try {
    return readFileSync(`${dir}/.source-fingerprint`, "utf8");
  } catch {
    return "";
  }
};

const stale = [];
if (only !== "admin" && builtFrom("dist") !== sourceFingerprint()) stale.push("server");
if (only !== "server" && builtFrom("admin/dist") !== adminFingerprint()) stale.push("admin");
for (const part of stale) {
  process.stdout.write(
    `Building Broadsheet's ${part === "server" ? "server" : "newsroom app"} (first start or changed sources; once)…\n`,
  );
  const started = performance.now();
  execFileSync(process.execPath, ["scripts/build.mjs", part], { stdio: "inherit" });
  process.stdout.write(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
}
