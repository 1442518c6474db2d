/**
 * A real varnishd with the generated VCL in front of a test app: its own work directory under a temporary
 * directory, a free port, stopped by its process id. Missing Varnish is a failure that says how to install it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderVcl } from "../../src/cdn/index.js";
import { waitFor } from "./processes.js";

export type TestVarnish = { url: string; stop(): Promise<void> };

const INSTALL =
  "varnishd was not found. The edge tests need Varnish 7 with varnish-modules (xkey): on Debian or Ubuntu, " +
  "`apt-get install -y varnish varnish-modules`; elsewhere, Varnish 7 from varnish-cache.org and varnish-modules " +
  "built against it. `npm test` does not need them.";

export function assertVarnishInstalled(): void {
  const probe = spawnSync("varnishd", ["-V"], { encoding: "utf8" });
  if (probe.error) throw new Error(INSTALL);
}

/** Starts varnishd on `port` in front of the origin at 127.0.0.1:`backendPort`; resolves once it answers. */
export async function startVarnish(port: number, backendPort: number): Promise<TestVarnish> {
  assertVarnishInstalled();
  const dir = mkdtempSync(join(tmpdir(), "broadsheet-varnish-"));
  // varnishd reads the VCL as its own unprivileged user when started as root.
  chmodSync(dir, 0o755);
  const vcl = join(dir, "default.vcl");
  writeFileSync(vcl, renderVcl({ host: "127.0.0.1", port: backendPort }), { mode: 0o644 });
  const args = ["-F", "-a", `127.0.0.1:${port}`, "-f", vcl, "-n", join(dir, "work"), "-s", "malloc,64m"];
  // No admin port: nothing here talks to it, and another test run may hold the default one.
  const child: ChildProcess = spawn("varnishd", [...args, "-T", "none"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor("varnishd to answer", async () => {
      if (child.exitCode !== null) throw new Error(`varnishd stopped:\n${output}`);
      return fetch(`${url}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
    });
  } catch (err) {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
