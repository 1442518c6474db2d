// Mixed load: does a cached article keep its speed while the rest of the site is busy? On a fresh demo database,
// first the readers of one article (a free one, then a metered one for a new visitor, a returning visitor and a
// subscriber, each compared with a free-article run just before it); then the free article at concurrency 50
// alone, again while search, the Content API and a subscriber (4 connections each) and a newsroom client saving
// an article every second run beside it, and alone once more. Articles are picked from the live server (the
// Content API, then each one read once), not named here.
//
//   node bench/mixed-load.mjs                                   # embedded PGlite
//   node bench/mixed-load.mjs --database-url=postgres://postgres@127.0.0.1:5432/bench_mixed
//                                                               # PGlite, then that PostgreSQL server
//   node bench/mixed-load.mjs --both                            # the same, with BENCH_DATABASE_URL or the above
//   node bench/mixed-load.mjs --duration 10                     # seconds per run (default 5)
//
// The database named in the URL is created for the run and dropped at its end; one the bench did not make is
// never touched. The server runs on one CPU and the load generator (this process, every client) on the others.
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createBenchDatabase, describeDatabaseUrl } from "./lib/bench-database.mjs";
import { measure, summarize, warm } from "./lib/load.mjs";
import { newsroomClient, signInStaff } from "./lib/newsroom-client.mjs";
import {
  describePlacement,
  PINNING,
  pinSelf,
  ROOT,
  rssMiB,
  runBench,
  runNode,
  sleep,
  stopChild,
} from "./lib/processes.mjs";
import { freshDir, startServer, subscriberCookie } from "./lib/server.mjs";
import { formatMs, formatProblems, formatRatio, formatReqPerSec, markdownTable } from "./lib/table.mjs";

const DATA_DIR = join(ROOT, ".bench-data", "mixed");
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_mixed";
const ARTICLE_CONNECTIONS = 50;
const SIDE_CONNECTIONS = 4;
const METER_COOKIE = "bs_meter";
// The goals of issue #15: the ratios are taken within one run, so a slow moment of the machine counts for both.
const GOALS = { besideShare: 0.7, besideP99Ms: 25, readerShare: 0.7 };

function parseOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string", default: "5" },
      "database-url": { type: "string" },
      both: { type: "boolean", default: false },
    },
  });
  const duration = Number(values.duration);
  if (!Number.isInteger(duration) || duration < 1) {
    throw new Error(`--duration must be a whole number of seconds >= 1 (got ${JSON.stringify(values.duration)})`);
  }
  const given = values["database-url"] ?? process.env.BENCH_DATABASE_URL;
  const databaseUrl = given ?? (values.both ? DEFAULT_DATABASE_URL : undefined);
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`--database-url must be a postgres:// URL (got ${JSON.stringify(databaseUrl)})`);
  }
  return { duration, databaseUrl };
}

const log = (message) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// One database

/** The whole bench on one database: a fresh one, seeded with the demo newspaper by the server's first start. */
async function benchDatabase(database, { duration }) {
  freshDir(DATA_DIR);
  const dropDatabase = database.url ? await createBenchDatabase(database.url) : undefined;
  try {
    const owner = { email: "owner@bench.example", password: randomBytes(18).toString("base64url") };
    const env = {
      SESSION_SECRET: randomBytes(32).toString("base64url"),
      DATA_DIR,
      SEED_DEMO: "true",
      PAGE_CACHE: "true",
      BROADSHEET_OWNER_EMAIL: owner.email,
      BROADSHEET_OWNER_PASSWORD: owner.password,
      DATABASE_URL: database.url,
      // Every client here comes from 127.0.0.1; in life the four search and four Content API clients are other
      // people, each under their own per-IP limit. Without this the limits answer 429 and the load is not made.
      SEARCH_RATE_LIMIT: "0",
      CONTENT_API_RATE_LIMIT: "0",
    };
    // Made before the server starts: with PGlite the server holds the data dir, and the CLI needs it too.
    const apiKey = (await runNode(["dist/main.js", "content-api-key:create", "mixed-load bench"], env)).trim();
    log(`${database.label}: starting the server (its first start seeds the demo newspaper)…`);
    const server = await startServer(env);
    try {
      const site = await discoverSite(server.base, apiKey);
      const staffCookie = await signInStaff(server.base, owner);
      log(`${database.label}: readers of one article, each run after a run of the free article…`);
      pinSelf(PINNING?.load);
      const readers = await measureReaders(server.base, site, { duration, sessionSecret: env.SESSION_SECRET });
      log(`${database.label}: the free article alone, beside the mixed load, and alone again…`);
      const mixed = await measureMixedLoad(server.base, site, {
        duration,
        sessionSecret: env.SESSION_SECRET,
        staffCookie,
      });
      pinSelf(PINNING?.all);
      return { database, site, readers, mixed, rss: rssMiB(server.child.pid) };
    } finally {
      await stopChild(server.child);
    }
  } finally {
    await dropDatabase?.();
  }
}

// ---------------------------------------------------------------------------------------------
// The site: which articles are free, metered, and which one the newsroom edits

async function fetchPage(url, headers = {}) {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) });
  const html = await res.text();
  const meterCookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith(`${METER_COOKIE}=`));
  return { status: res.status, html, meterCookie, isWalled: html.includes('class="paywall"') };
}

/**
 * Reads every published article once as a new visitor: one shown whole without a meter cookie is free, one shown
 * whole with a meter cookie is metered. The metered one measured is read by the returning visitor as a second
 * article (their cookie comes from the first read of another), or as the same one again if there is only one.
 */
async function discoverSite(base, apiKey) {
  const apiPath = (path) => `/ghost/api/content/${path}${path.includes("?") ? "&" : "?"}key=${apiKey}`;
  const res = await fetch(base + apiPath("posts/?limit=all&fields=slug,url,title,published_at"));
  if (res.status !== 200) throw new Error(`the Content API answered ${res.status} to the list of posts`);
  // Newest first, as the front page, with the slug breaking ties: the same picks on every run and database.
  const posts = (await res.json()).posts.sort(
    (x, y) => Date.parse(y.published_at) - Date.parse(x.published_at) || x.slug.localeCompare(y.slug),
  );
  const free = [];
  const metered = [];
  for (const post of posts) {
    const path = new URL(post.url).pathname;
    const page = await fetchPage(base + path);
    if (page.status !== 200 || page.isWalled) continue;
    (page.meterCookie ? metered : free).push({ ...post, path, html: page.html, meterCookie: page.meterCookie });
  }
  if (free.length < 2) throw new Error(`the demo has ${free.length} free articles; the bench needs two`);
  if (metered.length === 0) throw new Error("no metered article: none was shown whole with a meter cookie");
  const [article] = free;
  // The newsroom saves an article the measured page does not link to, so each save leaves the measured page cached,
  // as most saves leave most pages; the front page and the saved article's listings are dropped every second.
  const isLinked = (other) => article.html.includes(`href="${other.path}"`);
  const edited = free.slice(1).find((a) => !isLinked(a)) ?? free[1];
  const [firstRead, meteredArticle = firstRead] = metered;
  const tag = (await (await fetch(base + apiPath("tags/?limit=1"))).json()).tags?.[0]?.slug;
  return {
    article,
    edited,
    isEditedLinked: isLinked(edited),
    metered: meteredArticle,
    returning: { cookie: firstRead.meterCookie, isRereading: firstRead === meteredArticle },
    searches: searchQueries(posts.map((p) => p.title)),
    apiPaths: [
      "posts/?limit=15",
      "posts/?limit=15&page=2",
      "posts/?limit=15&include=tags,authors",
      ...(tag ? [`posts/?limit=15&filter=tag:${tag}`] : []),
      `posts/slug/${article.slug}/?formats=html`,
    ].map(apiPath),
    subscriberPaths: [
      ...new Set(["/", `/section/${article.path.split("/")[1]}`, article.path, ...metered.map((a) => a.path)]),
    ].slice(0, 6),
  };
}

/** Queries made of the demo's own headline words: one word, two, a quoted phrase, a word being typed, an exclusion. */
function searchQueries(titles) {
  const words = titles.map((t) => t.toLowerCase().match(/[a-z]{5,}/g) ?? []).filter((w) => w.length >= 2);
  return words.slice(0, 10).map((w, i) => {
    const [a, b] = w;
    return [a, `${a} ${b}`, `"${a} ${b}"`, a.slice(0, 4), `${a} -${b}`][i % 5];
  });
}

// ---------------------------------------------------------------------------------------------
// Readers of one article (issue #15, item 6): each as a share of the free article measured just before it

async function measureReaders(base, site, { duration, sessionSecret }) {
  const subscriber = await subscriberCookie(sessionSecret);
  const readers = [
    { label: "metered article, new visitor (no cookie)", headers: {}, expect: "counted" },
    {
      label: `metered article, returning visitor (meter cookie, ${site.returning.isRereading ? "re-reading it" : "one other article read"})`,
      headers: { cookie: site.returning.cookie },
      // A re-read is not counted again: the server answers it without a new cookie.
      expect: site.returning.isRereading ? "whole" : "counted",
    },
    { label: "metered article, signed-in subscriber", headers: { cookie: subscriber }, expect: "whole" },
  ];
  const freeUrl = base + site.article.path;
  const meteredUrl = base + site.metered.path;
  await warm(freeUrl);
  const rows = [];
  for (const reader of readers) {
    await warm(meteredUrl, reader.headers);
    const free = await measure(freeUrl, { connections: ARTICLE_CONNECTIONS, duration });
    const result = await measure(meteredUrl, { headers: reader.headers, connections: ARTICLE_CONNECTIONS, duration });
    rows.push({ label: reader.label, ...result, free, share: result.reqPerSec / free.reqPerSec });
    await checkReader(meteredUrl, reader);
  }
  return rows;
}

/** After its run, the reader still gets what the run was meant to measure: a read counted, or the article whole. */
async function checkReader(url, reader) {
  const page = await fetchPage(url, reader.headers);
  const isRight =
    page.status === 200 && !page.isWalled && (reader.expect === "counted") === (page.meterCookie !== undefined);
  if (!isRight) {
    throw new Error(
      `${reader.label}: after the run, ${url} answered ${page.status}, ${page.isWalled ? "walled" : "whole"}, ` +
        `${page.meterCookie ? "with" : "without"} a meter cookie; expected it whole, ${reader.expect === "counted" ? "with" : "without"} a meter cookie`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The cached article beside the mixed load

/** A client with `SIDE_CONNECTIONS` connections going through `paths` in turn until stopped. */
function sideClient(base, paths, headers = {}) {
  const tracker = autocannon({
    url: base,
    connections: SIDE_CONNECTIONS,
    duration: 3600,
    requests: paths.map((path) => ({ method: "GET", path, headers })),
  });
  return {
    stop: async () => {
      tracker.stop();
      return summarize(await tracker);
    },
  };
}

async function measureMixedLoad(base, site, { duration, sessionSecret, staffCookie }) {
  const url = base + site.article.path;
  const subscriber = { cookie: await subscriberCookie(sessionSecret) };
  await warm(url);
  const before = await measure(url, { connections: ARTICLE_CONNECTIONS, duration });
  const searchPaths = site.searches.map((q) => `/search?q=${encodeURIComponent(q)}`);
  const side = {
    search: sideClient(base, searchPaths),
    contentApi: sideClient(base, site.apiPaths),
    subscriber: sideClient(base, site.subscriberPaths, subscriber),
    newsroom: await newsroomClient(base, { cookie: staffCookie, slug: site.edited.slug }),
  };
  // The side clients have their connections open and their first answers cached before the article is measured.
  await sleep(1000);
  const beside = await measure(url, { connections: ARTICLE_CONNECTIONS, duration });
  const sideResults = {
    search: await side.search.stop(),
    contentApi: await side.contentApi.stop(),
    subscriber: await side.subscriber.stop(),
    newsroom: await side.newsroom.stop(),
  };
  const after = await measure(url, { connections: ARTICLE_CONNECTIONS, duration });
  const alone = (before.reqPerSec + after.reqPerSec) / 2;
  return { before, beside, after, share: beside.reqPerSec / alone, side: sideResults };
}

// ---------------------------------------------------------------------------------------------
// Report

const HEADER = ["load", "req/s", "p50 ms", "p99 ms", "errors/timeouts", "% of alone"];
const RIGHT = [false, true, true, true, true, true];

function row(label, r, share = "") {
  return [label, formatReqPerSec(r.reqPerSec), formatMs(r.p50), formatMs(r.p99), formatProblems(r), share];
}

function verdict(isMet) {
  return isMet ? "met" : "NOT met";
}

/** Whether the goals of issue #15 were met in one database's run. */
function goalsOf({ readers, mixed }) {
  return {
    isBesideMet: mixed.share >= GOALS.besideShare && mixed.beside.p99 <= GOALS.besideP99Ms,
    areReadersMet: readers.every((r) => r.share >= GOALS.readerShare),
  };
}

function report({ database, site, readers, mixed, rss }, { duration }) {
  const c = ARTICLE_CONNECTIONS;
  const s = SIDE_CONNECTIONS;
  const newsroom = mixed.side.newsroom;
  const mixedRows = [
    row(`cached article, c=${c}, alone before`, mixed.before),
    row(`cached article, c=${c}, beside the load below`, mixed.beside, formatRatio(mixed.share, 1)),
    row(`cached article, c=${c}, alone after`, mixed.after),
    row(`  search, c=${s} (${site.searches.length} queries in turn)`, mixed.side.search),
    row(`  Content API, c=${s} (${site.apiPaths.length} requests in turn)`, mixed.side.contentApi),
    row(`  subscriber, c=${s} (${site.subscriberPaths.length} pages in turn)`, mixed.side.subscriber),
    [
      "  newsroom, saving an article every second",
      `${newsroom.saves} saves`,
      formatMs(newsroom.p50),
      `${formatMs(newsroom.max)} (max)`,
      newsroom.failures.length ? `${newsroom.failures.length} failed (${newsroom.failures.join(", ")})` : "0",
      "",
    ],
  ];
  const readerRows = readers.flatMap((r) => [
    row("free article, just before", r.free),
    row(r.label, r, formatRatio(r.share, 1)),
  ]);
  const { isBesideMet, areReadersMet } = goalsOf({ readers, mixed });
  return [
    `### ${database.label}`,
    "",
    `Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown CPU"}), ${describePlacement()}, ${new Date().toISOString()}, ${duration} s per run`,
    `Cached article ${site.article.path}; metered article ${site.metered.path}; the newsroom saves ${site.edited.path}` +
      ` (${site.isEditedLinked ? "linked from" : "not linked from"} the cached article).`,
    "",
    markdownTable([`reader, c=${c}`, ...HEADER.slice(1, 5), "% of the free article before it"], readerRows, RIGHT),
    "",
    markdownTable(HEADER, mixedRows, RIGHT),
    "",
    `Goals: beside the mixed load ≥ ${GOALS.besideShare * 100}% of alone (mean of before and after) with p99 ≤ ${GOALS.besideP99Ms} ms: ` +
      `${formatRatio(mixed.share, 1)}, p99 ${formatMs(mixed.beside.p99)} ms, ${verdict(isBesideMet)}. ` +
      `Each reader ≥ ${GOALS.readerShare * 100}% of the free article: ${verdict(areReadersMet)}.`,
    `Server RSS after the runs: ${rss === undefined ? "n/a (no /proc)" : `${rss.toFixed(1)} MiB`}.`,
  ].join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseOptions();
  const databases = [{ label: "PGlite (embedded, in DATA_DIR)" }];
  if (options.databaseUrl) {
    databases.push({ label: `PostgreSQL (${describeDatabaseUrl(options.databaseUrl)})`, url: options.databaseUrl });
  }
  const results = [];
  for (const database of databases) {
    const result = await benchDatabase(database, options);
    results.push(result);
    process.stdout.write(`\n${report(result, options)}\n`);
  }
  if (results.length > 1) process.stdout.write(`\n${summary(results)}\n`);
}

/** Both databases side by side: the figures the goals are about. */
function summary(results) {
  const rows = results.map((result) => {
    const { mixed, readers } = result;
    const { isBesideMet, areReadersMet } = goalsOf(result);
    return [
      result.database.label.replace(/ \(.*/, ""),
      formatRatio(mixed.share, 1),
      formatMs(mixed.beside.p99),
      verdict(isBesideMet),
      readers.map((r) => formatRatio(r.share, 1)).join(" / "),
      verdict(areReadersMet),
    ];
  });
  const header = [
    "database",
    "article beside / alone",
    "p99 ms beside",
    "goal",
    "metered new / returning / subscriber vs free",
    "goal",
  ];
  return markdownTable(header, rows, [false, true, true, false, true, false]);
}

runBench(main, "mixed-load bench");
