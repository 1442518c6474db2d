// Load benchmark: starts the real server on a fresh demo database, measures a few typical pages
// with autocannon at several concurrencies, and compares them with a bare node:http server that
// sends the same article HTML (the "ceiling": what Node can do with no work per request).
//
//   npm run bench                       # page cache on (the default)
//   npm run bench -- --no-cache         # PAGE_CACHE=false: every request renders
//   npm run bench -- --duration 10      # seconds per autocannon run (default 5)
//   npm run bench -- --no-search        # skip the search benchmark (bench/search.mjs) that follows the pages
//
// "subscriber article" reads a paid article with a subscriber's session cookie, signed with the bench server's
// SESSION_SECRET by the server's own code: it measures the signed-in path (cookie check, the "full" variant).

import { execFileSync, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DATA_DIR = join(ROOT, ".bench-data", "pages");
const HOST = "127.0.0.1";
const CONCURRENCIES = [1, 10, 50];
const WARMUP_REQUESTS = 200;
const READY_TIMEOUT_MS = 90_000;
const EXCLUDED_PREFIXES = ["/section/", "/tag/", "/author/", "/media/", "/assets/"];

/**
 * On Linux with two or more CPUs, the servers get the last CPU and the load generator (this process) the others,
 * with taskset: left to the scheduler, on a small machine they trade CPUs and the figures swing with it.
 */
const PINNING = cpuPinning();

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
function pinSelf(cpus) {
  if (PINNING) execFileSync("taskset", ["-pc", cpus, String(process.pid)], { stdio: "ignore" });
}

/** Children to stop whatever happens, so a failed run never leaves a server holding the data dir. */
const children = new Set();

function parseOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "5" },
      "no-cache": { type: "boolean", default: false },
      "no-search": { type: "boolean", default: false },
    },
  });
  const duration = Number(values.duration);
  if (!Number.isInteger(duration) || duration < 1) {
    throw new Error(`--duration must be a whole number of seconds >= 1 (got ${JSON.stringify(values.duration)})`);
  }
  return { duration, pageCache: !values["no-cache"], search: !values["no-search"] };
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** A free port: the OS picks one for a throwaway listener, which is closed before the server takes it. */
async function freePort() {
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
 */
function spawnNode(args, env, { echo = false, pinned = false } = {}) {
  const [command, commandArgs] =
    pinned && PINNING ? ["taskset", ["-c", PINNING.server, process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
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

/** SIGTERM lets the server close its database cleanly; SIGKILL if it has not gone after 5 s. */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

async function stopAllChildren() {
  await Promise.all([...children].map(stopChild));
}

function freshDataDir() {
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
}

const SESSION_SECRET = randomBytes(32).toString("base64url");

async function startServer({ pageCache }) {
  const port = await freePort();
  const child = spawnNode(
    ["dist/main.js"],
    {
      SESSION_SECRET,
      DATA_DIR,
      PORT: String(port),
      HOST,
      LOG_LEVEL: "warn",
      SEED_DEMO: "true",
      PAGE_CACHE: String(pageCache),
    },
    { pinned: true },
  );
  const base = `http://${HOST}:${port}`;
  await waitReady(child, `${base}/readyz`);
  return { child, base };
}

/** Polls /readyz: the first start migrates and seeds the demo newspaper, which takes a while. */
async function waitReady(child, url) {
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

/** Resident memory of a process in MiB, from /proc (Linux only). */
function rssMiB(pid) {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
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
  const paid = await findPaidArticle(base, links.filter(isArticlePath));
  const subscriber = { cookie: await subscriberCookie() };
  const full = await fetchText(base + paid, subscriber);
  if (full.text.includes('class="paywall"')) throw new Error(`the subscriber cookie did not open ${paid}`);
  return [
    pageSpec("home", "/"),
    pageSpec("article", article),
    pageSpec("paid article, anonymous", paid),
    pageSpec("paid article, subscriber", paid, 200, subscriber),
    pageSpec("section", section),
    pageSpec("404", "/no-such-page-here", 404),
  ];
}

/** The first linked article that shows anonymous readers the paywall and is not metered (no meter cookie). */
async function findPaidArticle(base, paths) {
  for (const path of paths) {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
    const html = await res.text();
    if (html.includes('class="paywall"') && res.headers.getSetCookie().length === 0) return path;
  }
  throw new Error("no paid, unmetered article linked from the home page");
}

/** A subscriber's session cookie, made by the server's own session code with the bench server's secret. */
async function subscriberCookie() {
  const { encodeSession, SESSION_COOKIE } = await import(join(ROOT, "dist/members/session-cookie.js"));
  const issuedAt = Date.now();
  const claim = {
    sessionId: randomUUID(),
    memberId: randomUUID(),
    entitlement: "subscriber",
    issuedAt,
    // Longer than any bench run; a claim this fresh is trusted without the database.
    expiresAt: issuedAt + 14 * 60_000,
  };
  return `${SESSION_COOKIE}=${encodeSession(claim, SESSION_SECRET)}`;
}

function pageSpec(name, path, expect = 200, headers = {}) {
  return { label: `${name} ${path}`, path, expect, headers };
}

// ---------------------------------------------------------------------------------------------
// Load

async function warm(url, headers) {
  await autocannon({ url, headers, amount: WARMUP_REQUESTS, connections: 10 });
}

/** One autocannon run, reduced to what the table shows. */
async function measure(url, headers, connections, duration, expectStatus) {
  const result = await autocannon({ url, headers, connections, duration });
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: unexpectedStatuses(result.statusCodeStats, expectStatus),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Responses whose status is not the one the page should answer with (404 is right for the 404 page). */
function unexpectedStatuses(statusCodeStats, expectStatus) {
  let count = 0;
  for (const [code, { count: n }] of Object.entries(statusCodeStats ?? {})) {
    if (Number(code) !== expectStatus) count += Number(n);
  }
  return count;
}

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
      const result = await measure(base + page.path, page.headers, connections, duration, page.expect);
      const ceiling = await measure(`${ceilingBase}/`, {}, connections, duration, 200);
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

/** autocannon's latency histogram counts whole milliseconds, so decimals would be false precision. */
function formatMs(ms) {
  return ms < 1 ? "<1" : String(Math.round(ms));
}

function formatRatio(value, ceiling) {
  return ceiling ? `${Math.round((value / ceiling) * 100)}%` : "n/a";
}

function formatProblems(row) {
  const parts = [];
  if (row.unexpected) parts.push(`${row.unexpected} bad status`);
  if (row.errors) parts.push(`${row.errors} errors`);
  if (row.timeouts) parts.push(`${row.timeouts} timeouts`);
  return parts.join(", ") || "0";
}

/** A markdown table whose columns are also padded, so it reads well in a terminal. */
function markdownTable(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cell, i) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function report(rows, ceilingRows, { rss, pageCache, duration }) {
  const cells = [...rows, ...ceilingRows].map((r) => [
    r.page.label,
    String(r.connections),
    Math.round(r.reqPerSec).toLocaleString("en-US"),
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

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function main() {
  const options = parseOptions();
  const log = (message) => process.stderr.write(`${message}\n`);

  freshDataDir();
  log(`Starting the server (page cache ${options.pageCache ? "on" : "off"}; the first start seeds demo content)…`);
  const server = await startServer(options);
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

  if (options.search) {
    log("Search benchmark (the first run generates its corpus, which takes a few minutes):");
    const [code] = await once(spawnNode(["bench/search.mjs"], {}, { echo: true }), "exit");
    if (code !== 0) throw new Error(`the search benchmark exited with ${code}`);
  }
}

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
      process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      await stopAllChildren();
      process.exit(1);
    },
  );
