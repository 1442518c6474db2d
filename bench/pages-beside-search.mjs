// A cached article at concurrency 50, alone and then while four clients search back to back, on the search
// bench's corpus: does the database's work hold up pages it plays no part in? (It did while PGlite ran on the
// main thread, see docs/adr/0006-embedded-database-in-a-worker.md.)
//
//   node bench/search.mjs --articles=20000            # builds the corpus once (.bench-data/search-corpus-N)
//   node bench/pages-beside-search.mjs                # then this; --articles=N, --duration=S (default 10)
//   node bench/pages-beside-search.mjs --server=/other/checkout/dist/main.js   # another build, same corpus
//
// On Linux with two or more CPUs the server is pinned to the last CPU and this process to the others (taskset),
// as in bench/run.mjs: the database thread then shares the server's one CPU with the event loop.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    articles: { type: "string", default: "20000" },
    duration: { type: "string", default: "10" },
    server: { type: "string", default: "dist/main.js" },
  },
});
const DATA_DIR = resolve(".bench-data", `search-corpus-${Number(values.articles)}`);
const DURATION = Number(values.duration);
const SERVER = resolve(values.server);
const SEARCHERS = 4;
const WORDS =
  "budget minister harbour strike election coalition court inflation bank gas pipeline ferry drought wine coast wind football festival film tax port workers prices energy treaty border summit reform school river flood museum market".split(
    " ",
  );

if (!existsSync(join(DATA_DIR, "corpus.ready"))) {
  throw new Error(`no corpus in ${DATA_DIR}: run node bench/search.mjs --articles=${values.articles} first`);
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

async function main() {
  const pins = pinning();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const args = [SERVER];
  const started = performance.now();
  // The server's own directory is its checkout: migrations and assets are found from there.
  const child = spawn(
    pins ? "taskset" : process.execPath,
    pins ? ["-c", pins.server, process.execPath, ...args] : args,
    {
      cwd: resolve(SERVER, "../.."),
      env: { ...process.env, DATA_DIR, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn", SEED_DEMO: "false" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const stop = () => child.kill("SIGTERM");
  process.once("SIGINT", stop);
  try {
    let firstOk;
    while (firstOk === undefined) {
      if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode})`);
      const res = await fetch(`${base}/`).catch(() => undefined);
      await res?.arrayBuffer();
      if (res?.status === 200) firstOk = performance.now() - started;
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (pins) execFileSync("taskset", ["-pc", pins.load, String(process.pid)], { stdio: "ignore" });
    const home = await (await fetch(`${base}/`)).text();
    const article = [...home.matchAll(/href="(\/[a-z0-9-]+\/[a-z0-9-]+)"/g)]
      .map((m) => m[1])
      .find((href) => !/^\/(section|tag|author|media|assets)\//.test(href));
    if (!article) throw new Error("no article link on the front page");
    await autocannon({ url: base + article, connections: 10, amount: 2000 });
    const measure = async () => {
      const r = await autocannon({ url: base + article, connections: 50, duration: DURATION });
      return { reqPerSec: r.requests.average, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts };
    };

    const alone = await measure();
    let searching = true;
    const searchTimes = [];
    const searcher = async (offset) => {
      for (let i = offset; searching; i += SEARCHERS) {
        const q = `${WORDS[(i * 7) % WORDS.length]} ${i % 3 ? "" : WORDS[(i * 13 + 5) % WORDS.length]}`.trim();
        const start = performance.now();
        const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`search for ${q} answered ${res.status}`);
        searchTimes.push(performance.now() - start);
      }
    };
    const searchers = Array.from({ length: SEARCHERS }, (_, k) => searcher(k));
    const busy = await measure();
    searching = false;
    await Promise.all(searchers);
    searchTimes.sort((x, y) => x - y);

    const row = (label, r) => `| ${label} | ${Math.round(r.reqPerSec).toLocaleString("en")} | ${r.p99} | ${r.bad} |`;
    process.stdout.write(
      [
        "",
        `${SERVER}, ${Number(values.articles).toLocaleString("en")} articles, ${DURATION} s per run, ${pins ? `server on CPU ${pins.server}` : "no CPU pinning"}`,
        `start to the first 200: ${(firstOk / 1000).toFixed(1)} s`,
        "",
        "| cached article, concurrency 50 | req/s | p99 ms | errors |",
        "| --- | --- | --- | --- |",
        row("alone", alone),
        row(`beside ${SEARCHERS} searching clients`, busy),
        "",
        `searches meanwhile: ${Math.round(searchTimes.length / DURATION)}/s, p50 ${searchTimes[Math.floor(searchTimes.length / 2)]?.toFixed(0)} ms`,
        "",
      ].join("\n"),
    );
  } finally {
    if (child.exitCode === null) {
      stop();
      await once(child, "exit");
    }
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
