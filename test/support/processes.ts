/**
 * Runs the command line as a child process: scripts through tsx, the server as src/ compiled to JavaScript
 * (compiled-source.ts), which runs as `node dist/main.js` would, without tsx's loader in every start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export type Spawned = { child: ChildProcess; output(): string; exited: Promise<number | null> };

function spawnNode(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** A TypeScript file run through tsx, as `npm run dev` runs src/main.ts. */
export function spawnScript(script: string, args: string[], env: Record<string, string>): Spawned {
  return spawnNode(["--import", "tsx", script, ...args], env);
}

/** `broadsheet start` on a port the system picks (PORT=0) unless `env` names one; see `servingAt`. */
/**
 * The server as `npm start` runs it, but with load shedding by event-loop lag off, as in every test app: a busy
 * test machine lags the loop enough to refuse uncached pages, and what these tests check is something else.
 * `main` is the compiled copy of src/ unless a test names another build of it.
 */
export function spawnServer(env: Record<string, string>, main = inject("compiledMain")): Spawned {
  return spawnNode([main, "start"], {
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: "0",
    LOAD_SHED_LAG_MS: "0",
    ...env,
  });
}

/** The address a spawned server says it is serving at, once it says so; fails if it exits first. */
export async function servingAt(server: Spawned, timeoutMs = 120_000): Promise<string> {
  let address: string | undefined;
  await waitFor(
    "the server to say where it is serving",
    () => {
      if (server.child.exitCode !== null) throw new Error(`the server exited first:\n${server.output()}`);
      // Whole lines only: the last may still be arriving.
      for (const line of server.output().split("\n").slice(0, -1)) {
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as { msg?: string; address?: string };
        if (entry.msg === "Broadsheet is serving") address = entry.address;
      }
      return address !== undefined;
    },
    timeoutMs,
  );
  return address!;
}

/** Polls until `check` is true; fails with `what` after the timeout. Bounded: no test waits forever. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}
