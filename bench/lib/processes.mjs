// Child processes for the benches: CPU pinning, free ports, spawning and stopping node children, and waiting for
// a server to be ready. Every child spawned here is stopped when the bench exits, however it exits.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 90_000;

/**
 * On Linux with two or more CPUs, the servers get the last CPU and the load generator (this process) the others,
 * with taskset: left to the scheduler, on a small machine they trade CPUs and the figures swing with it.
 */
export const PINNING = cpuPinning();

function cpuPinning() {
  const count = availableParallelism();
  if (process.platform !== "linux" || count < 2) return undefined;
  const pinning = { server: String(count - 1), load: count === 2 ? "0" : `0-${count - 2}`, all: `0-${count - 1}` };
  try {
    execFileSync("taskset", ["-c", pinning.all, "true"], { stdio: "ignore" });
    return pinning;
  } catch {
    return undefined;
  }
}

/** Moves this process (the load generator) onto `cpus`. */
export function pinSelf(cpus) {
  if (PINNING) execFileSync("taskset", ["-pc", cpus, String(process.pid)], { stdio: "ignore" });
}

/** Where the processes run, for a report's first line. */
export function describePlacement() {
  return PINNING
    ? `server on CPU ${PINNING.server}, load generator on CPU ${PINNING.load}`
    : "no CPU pinning (needs Linux, taskset and two CPUs)";
}

/** Children to stop whatever happens, so a failed run never leaves a server holding the data dir. */
const children = new Set();

/** A free port: the OS picks one for a throwaway listener, which is closed before the server takes it. */
export async function freePort() {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/**
 * Spawns a node child whose output is kept (last lines only) to explain a failure, not echoed; or, with
 * `echo`, passed straight through. `pinned`: on the servers' CPU (taskset execs node: the pid is node's).
 * An env value of `undefined` removes that variable from the child's environment.
 */
export function spawnNode(args, env, options = {}) {
  return spawnChild(process.execPath, args, env, options);
}

/**
 * Spawns `program` (any executable) as spawnNode spawns node: output kept, pinned if asked, stopped on exit; in
 * `cwd` (another checkout's server, for a before-and-after bench), else this checkout.
 */
export function spawnChild(program, args, env, { echo = false, pinned = false, cwd = ROOT } = {}) {
  const [command, commandArgs] =
    pinned && PINNING ? ["taskset", ["-c", PINNING.server, program, ...args]] : [program, args];
  const child = spawn(command, commandArgs, {
    cwd,
    env: { ...process.env, ...env },
    stdio: echo ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  const tail = [];
  const keep = (chunk) => {
    tail.push(...String(chunk).split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.outputTail = () => tail.join("\n");
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Runs a node child to its end and returns what it printed; throws with its output if it fails. */
export async function runNode(args, env) {
  const child = spawnNode(args, env);
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`node ${args.join(" ")} exited with ${code}:\n${child.outputTail()}`);
  return stdout;
}

/** SIGTERM lets the server close its database cleanly; SIGKILL if it has not gone after 5 s. */
export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

export async function stopAllChildren() {
  await Promise.all([...children].map(stopChild));
}

/**
 * Runs `main`, then exits: 0 if it succeeded, 1 with its message if not. The children are stopped on the way
 * out, on Ctrl-C too.
 */
export function runBench(main, name = "bench") {
  process.once("SIGINT", () => {
    process.stderr.write("\nInterrupted: stopping the servers.\n");
    stopAllChildren().finally(() => process.exit(130));
  });
  // Last resort if the process leaves any other way: a synchronous kill is all that is possible here.
  process.once("exit", () => {
    for (const child of children) child.kill("SIGKILL");
  });
  main()
    .then(() => stopAllChildren())
    .then(
      () => process.exit(0),
      async (err) => {
        process.stderr.write(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        await stopAllChildren();
        process.exit(1);
      },
    );
}

/** Polls `url` until it answers 200: the first start migrates and seeds the demo newspaper, which takes a while. */
export async function waitReady(child, url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited before it was ready (code ${child.exitCode}):\n${child.outputTail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new Error(`the server was not ready after ${READY_TIMEOUT_MS / 1000} s (${url}):\n${child.outputTail()}`);
}

/** Resident memory of a process in MiB, from /proc (Linux only). */
export function rssMiB(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
