// A flood of unique searches: 200 connections, each request a search nobody asked before, while /healthz is
// sampled beside them. Does the server keep answering (no client timeouts), refuse the excess quickly (503 or
// 429 within 100 ms) and keep /healthz fast (p99 under 50 ms)? Then one repeated search at concurrency 10: is it
// served from the cache?
//
//   npm run build && node bench/search-flood.mjs        # a fresh demo newspaper; --duration=S (default 15)
//   node bench/search-flood.mjs --articles=20000        # on the search bench's corpus (node bench/search.mjs first)
//   node bench/search-flood.mjs --server=/other/checkout/dist/main.js   # another build, for before and after
//
// Two floods: first every request from one address, then each from its own (the server runs with
// TRUST_PROXY=true and each request names its address in X-Forwarded-For): one greedy client meets the per-IP
// limit, a crowd of addresses meets the load shedding. Then the ceiling: a bare node:http server that refuses
// every request with a small page, flooded and sampled alike, to show what the machine allows /healthz at all
// while 200 connections are answered as fast as they ask. On Linux with two or more CPUs the servers are pinned
// to the last CPU and the load to the others (taskset), as in bench/run.mjs.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    articles: { type: "string" },
    duration: { type: "string", default: "15" },
    connections: { type: "string", default: "200" },
    server: { type: "string", default: "dist/main.js" },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SERVER = resolve(values.server);
// What a client waits before giving up on an answer, in seconds (autocannon's default).
const CLIENT_TIMEOUT_S = 10;
const CORPUS = values.articles ? resolve(".bench-data", `search-corpus-${Number(values.articles)}`) : undefined;
const WORDS =
  "budget minister harbour strike election coalition court inflation bank gas pipeline ferry drought wine coast wind football festival film tax port workers prices energy treaty border summit reform school river flood museum market hotel airline union wages pension hospital storm".split(
    " ",
  );

if (CORPUS && !existsSync(join(CORPUS, "corpus.ready"))) {
  throw new Error(`no corpus in ${CORPUS}: run node bench/search.mjs --articles=${values.articles} first`);
}

function pinning() {
  const count = availableParallelism();
  if (process.platform !== "linux" || count < 2) return undefined;
  try {
    execFileSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
    return { server: String(count - 1), load: count === 2 ? "0" : `0-${count - 2}` };
  } catch {
    return undefined;
  }
}

async function freePort() {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** The n-th search nobody has asked before: three words and a page, never repeated within a run. */
function uniqueSearch(n) {
  const w = WORDS.length;
  const words = [WORDS[n % w], WORDS[Math.floor(n / w) % w], WORDS[Math.floor(n / (w * w)) % w]];
  const page = (Math.floor(n / (w * w * w)) % 10) + 1;
  return `/search?q=${encodeURIComponent(words.join(" "))}&page=${page}`;
}

/** /healthz once every 20 ms from a process of its own, so the flood's client does not delay the samples. */
const SAMPLER = `
const url = process.argv[1];
const times = [];
let running = true;
process.on("message", () => { running = false; });
(async () => {
  while (running) {
    const start = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(10000) }).catch(() => undefined);
    await res?.arrayBuffer();
    times.push(res?.status === 200 ? performance.now() - start : Infinity);
    await new Promise((r) => setTimeout(r, 20));
  }
  process.send(times, () => process.exit(0));
})();
`;

function startSampler(url) {
  const child = spawn(process.execPath, ["-e", SAMPLER, url], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const result = once(child, "message").then(([times]) => times);
  return { stop: () => child.send("stop"), result };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// The ceiling: as little as Node does to answer, a 503 with a page the size of the site's plain one.
const CEILING_SOURCE = `
import { createServer } from "node:http";
const page = Buffer.alloc(1500, 120);
const server = createServer((req, res) => {
  res.writeHead(req.url === "/healthz" ? 200 : 503, { "content-type": "text/html", "content-length": page.length, "retry-after": "5" });
  res.end(page);
});
server.listen(Number(process.env.PORT), "127.0.0.1");
`;

async function flood(base, label, addressOf) {
  let n = Math.floor(Math.random() * 1e6) * 1000;
  const byStatus = new Map();
  const sampler = startSampler(`${base}/healthz`);
  const instance = autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    timeout: CLIENT_TIMEOUT_S,
    requests: [
      {
        setupRequest: (req) => {
          n++;
          return { ...req, path: uniqueSearch(n), headers: { ...req.headers, "x-forwarded-for": addressOf(n) } };
        },
      },
    ],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    const times = byStatus.get(status) ?? [];
    times.push(ms);
    byStatus.set(status, times);
  });
  const result = await instance;
  sampler.stop();
  const healthz = (await sampler.result).map((t) => (t === null ? Infinity : t)).sort((a, b) => a - b);
  const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b);
  const lines = [
    "",
    `### ${label}: ${CONNECTIONS} connections of unique searches, ${DURATION} s`,
    "",
    `client timeouts (${CLIENT_TIMEOUT_S} s): ${result.timeouts}; connection errors: ${result.errors - result.timeouts}`,
    "",
    "| status | answers | per second | p50 ms | p99 ms | max ms |",
    "| --- | --- | --- | --- | --- | --- |",
    ...statuses.map(([status, times]) => {
      times.sort((a, b) => a - b);
      return `| ${status} | ${times.length.toLocaleString("en")} | ${Math.round(times.length / DURATION).toLocaleString("en")} | ${quantile(times, 0.5).toFixed(0)} | ${quantile(times, 0.99).toFixed(0)} | ${times.at(-1).toFixed(0)} |`;
    }),
    "",
    `/healthz beside it: ${healthz.length} samples, p50 ${quantile(healthz, 0.5).toFixed(1)} ms, p99 ${quantile(healthz, 0.99).toFixed(1)} ms, max ${healthz.at(-1).toFixed(1)} ms`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

async function main() {
  const pins = pinning();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-flood-"));
  if (CORPUS) cpSync(CORPUS, dataDir, { recursive: true });
  const started = performance.now();
  // The server's own directory is its checkout: migrations and assets are found from there.
  const child = spawn(
    pins ? "taskset" : process.execPath,
    pins ? ["-c", pins.server, process.execPath, SERVER] : [SERVER],
    {
      cwd: resolve(SERVER, "../.."),
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        SEED_DEMO: CORPUS ? "false" : "true",
        TRUST_PROXY: "true",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const stop = () => child.kill("SIGTERM");
  process.once("SIGINT", stop);
  try {
    let ready;
    while (ready === undefined) {
      if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode})`);
      const res = await fetch(`${base}/readyz`).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 200) ready = performance.now() - started;
      else await new Promise((r) => setTimeout(r, 100));
    }
    if (pins) execFileSync("taskset", ["-pc", pins.load, String(process.pid)], { stdio: "ignore" });
    process.stdout.write(
      `${SERVER}, ${CORPUS ? `${Number(values.articles).toLocaleString("en")} generated articles` : "the demo newspaper"}, ${pins ? `server on CPU ${pins.server}` : "no CPU pinning"}, ready after ${(ready / 1000).toFixed(1)} s\n`,
    );

    // One search asked again and again, by one reader (one address): the cache's work.
    const repeated = `/search?q=${encodeURIComponent("harbour strike")}`;
    await fetch(base + repeated).then((r) => r.arrayBuffer());
    const again = await autocannon({ url: base + repeated, connections: 10, duration: 5 });
    process.stdout.write(
      `\nthe same search again and again, concurrency 10, 5 s: ${Math.round(again.requests.average).toLocaleString("en")} req/s, p99 ${again.latency.p99} ms, non-2xx ${again.non2xx}\n`,
    );

    await flood(base, "one address", () => "203.0.113.7");
    // Let the first flood's queue drain and its window pass before the crowd comes.
    await new Promise((r) => setTimeout(r, 3000));
    await flood(base, "a crowd of addresses", (n) => `198.18.${(n >> 8) & 255}.${n & 255}`);

    const ceilingPort = await freePort();
    const ceiling = spawn(
      pins ? "taskset" : process.execPath,
      [...(pins ? ["-c", pins.server, process.execPath] : []), "--input-type=module", "-e", CEILING_SOURCE],
      { env: { ...process.env, PORT: String(ceilingPort) }, stdio: "ignore" },
    );
    try {
      const ceilingBase = `http://127.0.0.1:${ceilingPort}`;
      while (
        !(await fetch(`${ceilingBase}/healthz`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await flood(ceilingBase, "ceiling: bare node:http refusing everything", () => "203.0.113.7");
    } finally {
      ceiling.kill();
    }
  } finally {
    if (child.exitCode === null) {
      stop();
      await once(child, "exit");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
