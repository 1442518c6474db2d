// The Content API under load at concurrency 10: `posts/?limit=15`, a read by slug and (page cache on) the list
// under a filter no request repeats; with the page cache on (a repeated query is answered from it) and off
// (PAGE_CACHE=false: every request reads the database and serializes), on a fresh demo database with a key made by
// the command line.
//
//   npm run bench:content-api                                    # this checkout's dist/main.js
//   node bench/content-api.mjs --server=/other/checkout/dist/main.js --server=dist/main.js
//                                                                # several builds, measured in turn in one run
//   node bench/content-api.mjs --rounds=3                        # each run 3 times: the median, and each figure
//   node bench/content-api.mjs --duration=10 --connections=50
//   node bench/content-api.mjs --database-url=postgres://postgres@127.0.0.1:5432/postgres
//                                                                # on PostgreSQL: a fresh database per build,
//                                                                # made on that server and dropped afterwards
//
// Each build gets its own data directory (seeded once, then restarted for each mode). Runs alternate between
// the builds, so a shared machine's drift falls on both alike. On Linux with two or more CPUs the server is
// pinned to the last CPU and this process to the others (taskset), as in bench/run.mjs.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, cpus } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";

const { values } = parseArgs({
  options: {
    server: { type: "string", multiple: true, default: ["dist/main.js"] },
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    "database-url": { type: "string" },
    rounds: { type: "string", default: "1" },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);
const SERVERS = values.server.map((s) => resolve(s));
const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 120_000;
const PREFIX = "/ghost/api/content";

function pinning() {
  const count = availableParallelism();
  if (process.platform !== "linux" || count < 2) return undefined;
  try {
    execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    return { server: String(count - 1), load: count === 2 ? "0" : `0-${count - 2}`, all: `0-${count - 1}` };
  } catch {
    return undefined;
  }
}
const PINS = pinning();
const pinSelf = (cpuList) => {
  if (PINS) execFileSync("taskset", ["-pc", cpuList, String(process.pid)], { stdio: "ignore" });
};

async function freePort() {
  const server = createServer().listen(0, HOST);
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

const children = new Set();

/** A node child running `script` from its own checkout (migrations and assets are found from there). */
function spawnServerProcess(script, args, env, { pinned }) {
  const argv = [script, ...args];
  const child = spawn(
    pinned && PINS ? "taskset" : process.execPath,
    pinned && PINS ? ["-c", PINS.server, process.execPath, ...argv] : argv,
    {
      cwd: resolve(script, "../.."),
      env: { ...process.env, HOST, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-4000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.output = () => output;
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Runs one statement on the PostgreSQL server's maintenance database. */
async function onServer(statement) {
  const client = new pg.Client({ connectionString: values["database-url"] });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const databases = [];

/** A fresh database for one build: a data directory, and on PostgreSQL a new database named after it. */
async function freshDatabase(index) {
  const dataDir = resolve(".bench-data", `content-api-${index}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  if (!values["database-url"]) return { DATA_DIR: dataDir };
  const name = `broadsheet_bench_content_api_${index}`;
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  databases.push(name);
  const url = new URL(values["database-url"]);
  url.pathname = `/${name}`;
  return { DATA_DIR: dataDir, DATABASE_URL: url.toString() };
}

/** A fresh database with a Content API key made by the build's own command line (which also migrates). */
async function prepare(script, index) {
  const env = await freshDatabase(index);
  const cli = spawnServerProcess(script, ["content-api-key:create", "bench"], env, { pinned: false });
  const [code] = await once(cli, "exit");
  const key = cli.output().trim().split("\n").at(-1);
  if (code !== 0 || !/^[0-9a-f]{26}$/.test(key ?? "")) throw new Error(`no key from ${script}:\n${cli.output()}`);
  return { script, env, key };
}

async function start(build, pageCache) {
  const port = await freePort();
  const child = spawnServerProcess(
    build.script,
    [],
    {
      ...build.env,
      PORT: String(port),
      SEED_DEMO: "true",
      PAGE_CACHE: String(pageCache),
      // What is measured is the answer's cost, not the limits: one client IP at these rates would get 429s, and a
      // busy machine's lag would shed uncached reads (both have tests of their own).
      CONTENT_API_RATE_LIMIT: "0",
      LOAD_SHED_LAG_MS: "0",
    },
    { pinned: true },
  );
  const base = `http://${HOST}:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${build.script} exited (code ${child.exitCode}):\n${child.output()}`);
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    await res?.arrayBuffer();
    if (res?.status === 200) return { child, base };
    if (Date.now() > deadline) throw new Error(`${build.script} was not ready:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The addresses measured: the default list, one post read by its slug with its tags and authors, and (with the
 * cache on) the list under a filter no request repeats (`slug:-bench-N`, which excludes nothing): every one a
 * miss, read, serialized and kept, as a crawler making up queries would cost.
 */
async function targets(base, key, pageCache) {
  const list = `${PREFIX}/posts/?limit=15&key=${key}`;
  const res = await fetch(base + list);
  const body = await res.json();
  if (res.status !== 200 || body.posts?.length !== 15) {
    throw new Error(`${list} answered ${res.status} with ${body.posts?.length} posts`);
  }
  const slug = body.posts[3].slug;
  let made = 0;
  const unique = () => `${list}&filter=${encodeURIComponent(`slug:-bench-${made++}`)}`;
  return [
    { label: "posts/?limit=15", path: list },
    {
      label: "posts/slug/:slug/?include=tags,authors",
      path: `${PREFIX}/posts/slug/${slug}/?include=tags,authors&key=${key}`,
    },
    ...(pageCache ? [{ label: "posts/?limit=15, a new filter each time", path: list, next: unique }] : []),
  ];
}

async function measure(base, target) {
  const requests = target.next ? [{ setupRequest: (req) => ({ ...req, path: target.next() }) }] : undefined;
  const options = { url: base + target.path, connections: CONNECTIONS, ...(requests ? { requests } : {}) };
  await autocannon({ ...options, amount: 300 });
  const r = await autocannon({ ...options, duration: DURATION });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

async function main() {
  process.stderr.write(`Preparing ${SERVERS.length} build(s): data directories, keys…\n`);
  const builds = [];
  for (const [i, script] of SERVERS.entries()) builds.push(await prepare(script, i));
  const runs = new Map();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const pageCache of [true, false]) {
      for (const build of builds) {
        process.stderr.write(`  round ${round}: ${build.script}, page cache ${pageCache ? "on" : "off"}…\n`);
        const server = await start(build, pageCache);
        try {
          const paths = await targets(server.base, build.key, pageCache);
          pinSelf(PINS?.load ?? "0");
          for (const target of paths) {
            const id = `${build.script}\u0000${pageCache}\u0000${target.label}`;
            if (!runs.has(id)) runs.set(id, { build: build.script, pageCache, label: target.label, results: [] });
            runs.get(id).results.push(await measure(server.base, target));
          }
        } finally {
          if (PINS) pinSelf(PINS.all);
          await stop(server.child);
        }
      }
    }
  }
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const rate = (r) => Math.round(r.reqPerSec).toLocaleString("en-US");
  process.stdout.write(
    [
      "",
      `${values["database-url"] ? "PostgreSQL" : "PGlite"}, Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown"}), ${PINS ? `server on CPU ${PINS.server}, load on CPU ${PINS.load}` : "no CPU pinning"}, concurrency ${CONNECTIONS}, ${DURATION} s per run, ${ROUNDS} round(s), ${new Date().toISOString()}`,
      "",
      line(["build", "page cache", "request", "req/s (median)", "each round", "p50 ms", "p99 ms", "errors"]),
      line(["---", "---", "---", "---:", "---:", "---:", "---:", "---:"]),
      ...[...runs.values()].map((run) => {
        const sorted = [...run.results].sort((a, b) => a.reqPerSec - b.reqPerSec);
        const median = sorted[Math.floor(sorted.length / 2)];
        return line([
          run.build,
          run.pageCache ? "on" : "off",
          run.label,
          rate(median),
          run.results.map(rate).join(" / "),
          String(median.p50),
          String(median.p99),
          String(run.results.reduce((sum, r) => sum + r.bad, 0)),
        ]);
      }),
      "",
    ].join("\n"),
  );
}

process.once("SIGINT", () => {
  Promise.all([...children].map(stop)).finally(() => process.exit(130));
});

main()
  .catch((err) => {
    process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([...children].map(stop));
    for (const name of databases) await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
