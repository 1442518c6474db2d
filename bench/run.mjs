// Load benchmark: starts the real server on a fresh demo database, measures a few typical pages
// with autocannon at several concurrencies, and compares them with a bare node:http server that
// sends the same article HTML (the "ceiling": what Node can do with no work per request).
//
//   npm run bench                       # page cache on (the default)
//   npm run bench -- --no-cache         # PAGE_CACHE=false: every request renders
//   npm run bench -- --duration 10      # seconds per autocannon run (default 5)
//   npm run bench -- --no-mixed         # skip the mixed-load benchmark (bench/mixed-load.mjs) after the pages
//   npm run bench -- --database-url=postgres://postgres@127.0.0.1:5432/bench_mixed
//                                       # the mixed-load benchmark also on that PostgreSQL server (created for the
//                                       # run, then dropped); BENCH_DATABASE_URL does the same
//   npm run bench -- --no-search        # skip the search benchmark (bench/search.mjs)
//   npm run bench -- --no-edge          # skip the breaking-news replay through Varnish (bench/breaking-news.mjs)
//                                       # that comes last (skipped, with a note, where varnishd is not installed)
//
// "walled article, subscriber" reads an unmetered article behind the wall (in the demo, for registered readers)
// with a subscriber's session cookie, signed with the bench server's
// SESSION_SECRET by the server's own code: it measures the signed-in path (cookie check, the "full" variant).

import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measure, warm } from "./lib/load.mjs";
import { HOST, PINNING, pinSelf, ROOT, rssMiB, runBench, spawnNode, stopChild } from "./lib/processes.mjs";
import { freshDir, startServer, subscriberCookie } from "./lib/server.mjs";
import { formatMs, formatProblems, formatRatio, formatReqPerSec, markdownTable } from "./lib/table.mjs";
import { isVarnishInstalled } from "./lib/varnish.mjs";

const DATA_DIR = join(ROOT, ".bench-data", "pages");
const CONCURRENCIES = [1, 10, 50];
const EXCLUDED_PREFIXES = ["/section/", "/tag/", "/author/", "/media/", "/assets/"];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "5" },
      "no-cache": { type: "boolean", default: false },
      "no-mixed": { type: "boolean", default: false },
      "no-search": { type: "boolean", default: false },
      "no-edge": { type: "boolean", default: false },
      "database-url": { type: "string" },
    },
  });
  const duration = Number(values.duration);
  if (!Number.isInteger(duration) || duration < 1) {
    throw new Error(`--duration must be a whole number of seconds >= 1 (got ${JSON.stringify(values.duration)})`);
  }
  return {
    duration,
    pageCache: !values["no-cache"],
    mixed: !values["no-mixed"],
    search: !values["no-search"],
    edge: !values["no-edge"],
    databaseUrl: values["database-url"],
  };
}

const SESSION_SECRET = randomBytes(32).toString("base64url");

// The ceiling server: as little as Node can do per request, sending the same bytes as the article page.
const CEILING_SOURCE = `
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
const body = readFileSync(process.env.CEILING_HTML);
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
`;

/** Starts the ceiling server in its own process so it does not share an event loop with autocannon. */
async function startCeiling(html) {
  const htmlPath = join(DATA_DIR, "ceiling.html");
  writeFileSync(htmlPath, html);
  const child = spawnNode(["--input-type=module", "-e", CEILING_SOURCE], { CEILING_HTML: htmlPath }, { pinned: true });
  const port = await firstLine(child);
  return { child, base: `http://${HOST}:${Number(port)}` };
}

/** The first line the child prints (the port it listens on), or an error if it exits first. */
function firstLine(child) {
  return new Promise((resolveLine, reject) => {
    let text = "";
    const onData = (chunk) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end === -1) return;
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      resolveLine(text.slice(0, end).trim());
    };
    const onExit = (code) => reject(new Error(`the ceiling server exited (code ${code}):\n${child.outputTail()}`));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });
}

// ---------------------------------------------------------------------------------------------
// Pages

async function fetchText(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, text };
}

function hrefs(html) {
  return [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
}

function isArticlePath(href) {
  return /^\/[a-z0-9-]+\/[a-z0-9-]+$/.test(href) && !EXCLUDED_PREFIXES.some((p) => href.startsWith(p));
}

/** The pages to measure, found in the home page so the bench follows whatever the demo content is. */
async function discoverPages(base) {
  const home = await fetchText(`${base}/`);
  if (home.status !== 200) throw new Error(`GET / answered ${home.status}, expected 200`);
  const links = hrefs(home.text);
  const article = links.find(isArticlePath);
  const section = links.find((href) => href.startsWith("/section/"));
  if (!article) throw new Error("no article link found in the home page");
  if (!section) throw new Error("no /section/ link found in the home page");
  const paid = await findWalledArticle(base, links.filter(isArticlePath));
  const subscriber = { cookie: await subscriberCookie(SESSION_SECRET) };
  const full = await fetchText(base + paid, subscriber);
  if (full.text.includes('class="paywall"')) throw new Error(`the subscriber cookie did not open ${paid}`);
  return [
    pageSpec("home", "/"),
    pageSpec("article", article),
    pageSpec("walled article, anonymous", paid),
    pageSpec("walled article, subscriber", paid, 200, subscriber),
    pageSpec("section", section),
    pageSpec("404", "/no-such-page-here", 404),
  ];
}

/** The first linked article that shows anonymous readers the paywall and is not metered (no meter cookie). */
async function findWalledArticle(base, paths) {
  for (const path of paths) {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    if (html.includes('class="paywall"') && res.headers.getSetCookie().length === 0) return path;
  }
  throw new Error("no unmetered article behind the wall (paid or registered) linked from the home page");
}

function pageSpec(name, path, expect = 200, headers = {}) {
  return { label: `${name} ${path}`, path, expect, headers };
}

// ---------------------------------------------------------------------------------------------
// Load

const CEILING_LABEL = "ceiling (node:http, article HTML)";

/**
 * Each page at each concurrency, and right after it the ceiling at the same concurrency: a shared machine's
 * speed drifts over minutes, so each page is compared with a ceiling run of the same moment. The ceiling's own
 * rows are the median of its runs.
 */
async function measurePages(base, ceilingBase, pages, duration, log) {
  const rows = [];
  const ceilingRuns = new Map(CONCURRENCIES.map((c) => [c, []]));
  await warm(`${ceilingBase}/`, {});
  for (const page of pages) {
    await warm(base + page.path, page.headers);
    for (const connections of CONCURRENCIES) {
      log(`  ${page.label} at concurrency ${connections}, then the ceiling…`);
      const result = await measure(base + page.path, {
        headers: page.headers,
        connections,
        duration,
        expectStatus: page.expect,
      });
      const ceiling = await measure(`${ceilingBase}/`, { connections, duration });
      ceilingRuns.get(connections).push(ceiling);
      rows.push({ page, connections, ...result, ceilingReqPerSec: ceiling.reqPerSec });
    }
  }
  const ceilingRows = CONCURRENCIES.map((connections) => {
    const runs = ceilingRuns.get(connections).sort((x, y) => x.reqPerSec - y.reqPerSec);
    const median = runs[Math.floor(runs.length / 2)];
    return { page: { label: `${CEILING_LABEL}, median of ${runs.length}` }, connections, ...median };
  });
  return { rows, ceilingRows };
}

// ---------------------------------------------------------------------------------------------
// Report

function report(rows, ceilingRows, { rss, pageCache, duration }) {
  const cells = [...rows, ...ceilingRows].map((r) => [
    r.page.label,
    String(r.connections),
    formatReqPerSec(r.reqPerSec),
    formatMs(r.p50),
    formatMs(r.p99),
    formatRatio(r.reqPerSec, r.ceilingReqPerSec ?? r.reqPerSec),
    formatProblems(r),
  ]);
  const header = ["page", "concurrency", "req/s", "p50 ms", "p99 ms", "vs ceiling run after it", "errors"];
  const cpuModel = cpus()[0]?.model ?? "unknown CPU";
  const placement = PINNING
    ? `server and ceiling on CPU ${PINNING.server}, load generator on CPU ${PINNING.load}`
    : "no CPU pinning";
  return [
    `Node ${process.version}, ${availableParallelism()} CPUs (${cpuModel}), ${placement}, ${new Date().toISOString()}, ${duration} s per run`,
    "",
    markdownTable(header, cells, [false, true, true, true, true, true, true]),
    "",
    `Server RSS after the runs: ${rss === undefined ? "n/a (no /proc)" : `${rss.toFixed(1)} MiB`}; page cache ${pageCache ? "on" : "off"}.`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions();
  const log = (message) => process.stderr.write(`${message}\n`);

  freshDir(DATA_DIR);
  log(`Starting the server (page cache ${options.pageCache ? "on" : "off"}; the first start seeds demo content)…`);
  const server = await startServer({
    SESSION_SECRET,
    DATA_DIR,
    SEED_DEMO: "true",
    PAGE_CACHE: String(options.pageCache),
  });
  const pages = await discoverPages(server.base);

  // The ceiling serves the article exactly as the server rendered it, so both send the same bytes. Both run
  // throughout; the one not being measured is idle.
  const article = await fetchText(server.base + pages[1].path);
  if (article.status !== 200) throw new Error(`GET ${pages[1].path} answered ${article.status}, expected 200`);
  const ceiling = await startCeiling(article.text);
  log("Measuring the server, each run followed by the ceiling's (bare node:http):");
  pinSelf(PINNING?.load);
  const { rows, ceilingRows } = await measurePages(server.base, ceiling.base, pages, options.duration, log);
  pinSelf(PINNING?.all);
  const rss = rssMiB(server.child.pid);
  await stopChild(ceiling.child);
  await stopChild(server.child);

  process.stdout.write(`\n${report(rows, ceilingRows, { ...options, rss })}\n`);

  if (options.mixed) {
    log("Mixed-load benchmark:");
    const args = ["bench/mixed-load.mjs", "--duration", String(options.duration)];
    if (options.databaseUrl) args.push(`--database-url=${options.databaseUrl}`);
    const [code] = await once(spawnNode(args, {}, { echo: true }), "exit");
    if (code !== 0) throw new Error(`the mixed-load benchmark exited with ${code}`);
  }

  if (options.search) {
    log("Search benchmark (the first run generates its corpus, which takes a few minutes):");
    const [code] = await once(spawnNode(["bench/search.mjs"], {}, { echo: true }), "exit");
    if (code !== 0) throw new Error(`the search benchmark exited with ${code}`);
  }

  if (options.edge && !isVarnishInstalled()) {
    log(
      "Breaking-news replay through Varnish: skipped, varnishd is not installed (Debian: apt-get install varnish varnish-modules).",
    );
  } else if (options.edge) {
    log("Breaking-news replay through Varnish (60 s through the edge, then 60 s at the origin):");
    const [code] = await once(spawnNode(["bench/breaking-news.mjs"], {}, { echo: true }), "exit");
    if (code !== 0) throw new Error(`the breaking-news bench exited with ${code}`);
  }
}

runBench(main);
