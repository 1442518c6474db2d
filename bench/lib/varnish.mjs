// A real varnishd for the benches, with the VCL the built server generates (`dist/main.js cdn:vcl`), in its own
// temporary directory on a free port, on the servers' CPU; and its counters, read with varnishstat.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HOST, runNode, spawnChild, stopChild, waitReady } from "./processes.mjs";

const INSTALL =
  "varnishd was not found. This bench needs Varnish 7 with varnish-modules (xkey): on Debian or Ubuntu, " +
  "`apt-get install -y varnish varnish-modules`.";

export function isVarnishInstalled() {
  try {
    execFileSync("varnishd", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Starts varnishd on `port` in front of the origin at HOST:`backendPort`; resolves once it answers /healthz. */
export async function startVarnish(port, backendPort) {
  if (!isVarnishInstalled()) throw new Error(INSTALL);
  const dir = mkdtempSync(join(tmpdir(), "broadsheet-bench-varnish-"));
  // varnishd reads the VCL as its own unprivileged user when started as root.
  chmodSync(dir, 0o755);
  const vcl = join(dir, "default.vcl");
  writeFileSync(vcl, await runNode(["dist/main.js", "cdn:vcl", "--backend", `${HOST}:${backendPort}`], {}), {
    mode: 0o644,
  });
  const workDir = join(dir, "work");
  const args = ["-F", "-a", `${HOST}:${port}`, "-f", vcl, "-n", workDir, "-s", "malloc,64m", "-T", "none"];
  const child = spawnChild("varnishd", args, {}, { pinned: true });
  const base = `http://${HOST}:${port}`;
  try {
    await waitReady(child, `${base}/healthz`);
  } catch (err) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    base,
    /** MAIN.cache_hit, MAIN.cache_miss and MAIN.backend_req now. */
    counters: () => varnishCounters(workDir),
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function varnishCounters(workDir) {
  const fields = ["MAIN.cache_hit", "MAIN.cache_miss", "MAIN.backend_req"];
  const json = JSON.parse(
    execFileSync("varnishstat", ["-n", workDir, "-1", "-j", ...fields.flatMap((f) => ["-f", f])], { encoding: "utf8" }),
  );
  // varnishstat 7 nests the counters under "counters"; older ones put them at the top.
  const counters = json.counters ?? json;
  const value = (field) => Number(counters[field]?.value ?? Number.NaN);
  return {
    hits: value("MAIN.cache_hit"),
    misses: value("MAIN.cache_miss"),
    backendRequests: value("MAIN.backend_req"),
  };
}
