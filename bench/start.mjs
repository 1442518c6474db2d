// `npm run bench:start`: how long the server takes from `node dist/main.js` to its first 200 for the front page,
// on a fresh data dir (the database created from the build's template, the demo seeded) and on the same dir again
// (seeded), and its resident memory a few seconds after, idle. Several runs, the median of each.
// `--server=PATH` (repeatable) measures other builds' main.js in the same run, alternating with this one, so each
// figure has a reference from the same minutes; `--runs=N` (default 5); `--idle=SECONDS` before reading RSS (3);
// `--cpus=all` lets the server use every CPU (by default it is pinned to one, as in the other benches: its
// database thread and main thread then share that CPU, and a start cannot overlap their work).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describePlacement, freePort, HOST, rssMiB, runBench, sleep, spawnNode, stopChild } from "./lib/processes.mjs";
import { markdownTable } from "./lib/table.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg) => {
    const match = /^--([a-z]+)=(.*)$/.exec(arg);
    return match && match[1] !== "server" ? [[match[1], match[2]]] : [];
  }),
);
const servers = process.argv
  .slice(2)
  .filter((arg) => arg.startsWith("--server="))
  .map((arg) => resolve(arg.slice("--server=".length)));
if (servers.length === 0) servers.push(resolve("dist/main.js"));
const RUNS = Number(args.runs ?? 5);
const IDLE_MS = Number(args.idle ?? 3) * 1000;
const FIRST_200_TIMEOUT_MS = 120_000;
if (args.cpus !== undefined && args.cpus !== "all") throw new Error("--cpus takes only 'all'");
const PINNED = args.cpus !== "all";

/** Starts `main` on `dataDir` and times it to the first 200 for `/`; the child is returned still running. */
async function timeToFirst200(main, dataDir) {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNode(
    [main],
    { DATABASE_URL: undefined, DATA_DIR: dataDir, PORT: String(port), HOST, LOG_LEVEL: "warn" },
    { pinned: PINNED },
  );
  const deadline = started + FIRST_200_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${main} exited (code ${child.exitCode}):\n${child.outputTail()}`);
    try {
      const res = await fetch(`http://${HOST}:${port}/`);
      await res.arrayBuffer();
      if (res.status === 200) return { child, ms: performance.now() - started };
    } catch {
      // Not listening yet.
    }
    await sleep(10);
  }
  throw new Error(`${main} gave no 200 within ${FIRST_200_TIMEOUT_MS / 1000} s:\n${child.outputTail()}`);
}

/** One start on `dataDir`: time to the first 200, then RSS once idle. */
async function measureStart(main, dataDir) {
  const { child, ms } = await timeToFirst200(main, dataDir);
  await sleep(IDLE_MS);
  const rss = rssMiB(child.pid);
  await stopChild(child);
  return { ms, rss };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const range = (values, digits) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

async function main() {
  const placement = PINNED ? describePlacement() : "server on every CPU";
  process.stdout.write(`Start to first 200 and idle RSS, ${RUNS} runs, ${placement}\n`);
  const results = new Map(servers.map((s) => [s, { fresh: [], seeded: [], freshRss: [], seededRss: [] }]));
  for (let run = 1; run <= RUNS; run++) {
    for (const server of servers) {
      const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-bench-start-"));
      try {
        const fresh = await measureStart(server, dataDir);
        const seeded = await measureStart(server, dataDir);
        const r = results.get(server);
        r.fresh.push(fresh.ms / 1000);
        r.seeded.push(seeded.ms / 1000);
        if (fresh.rss !== undefined) r.freshRss.push(fresh.rss);
        if (seeded.rss !== undefined) r.seededRss.push(seeded.rss);
        process.stdout.write(
          `run ${run} ${server}: fresh ${(fresh.ms / 1000).toFixed(2)} s, seeded ${(seeded.ms / 1000).toFixed(2)} s, ` +
            `idle RSS ${fresh.rss?.toFixed(0)} / ${seeded.rss?.toFixed(0)} MiB\n`,
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
  const rows = servers.map((server) => {
    const r = results.get(server);
    return [server, range(r.fresh, 2), range(r.seeded, 2), range(r.freshRss, 0), range(r.seededRss, 0)];
  });
  const header = [
    "server",
    "fresh start, s",
    "seeded start, s",
    "idle RSS after fresh, MiB",
    "idle RSS after seeded, MiB",
  ];
  process.stdout.write(`\nMedian (min–max):\n${markdownTable(header, rows, [false, true, true, true, true])}\n`);
  process.stdout.write("Goals (#15): seeded ≤ 1.5 s, fresh ≤ 6 s, idle RSS ≤ 250 MiB.\n");
}

runBench(main, "bench/start");
