// A breaking-news replay through Varnish (issue #23): a new free article, published through the newsroom API, is
// read by many cookieless visitors at once while an editor changes its headline every 10 s; a poller reads it
// through the edge after each save until the new headline is served. The same load then goes straight at the
// origin, in the same run, as the reference. The server is the built dist/main.js on a fresh demo database with
// CDN_PROVIDER=varnish; varnishd runs the VCL that server generates (`cdn:vcl`), both on the servers' CPU.
//
//   npm run bench:edge                          # 60 s through Varnish, then 60 s at the origin
//   node bench/breaking-news.mjs --seconds=5    # a quick check
//   node bench/breaking-news.mjs --connections=100 --interval=5
//
// Hit ratio and the origin's requests come from varnishstat (MAIN.cache_hit, MAIN.cache_miss, MAIN.backend_req)
// taken before and after the load; latency from autocannon (whole milliseconds).
import { randomBytes } from "node:crypto";
import { availableParallelism, cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measure, warm } from "./lib/load.mjs";
import { newsroomApi, newsroomClient, signInStaff } from "./lib/newsroom-client.mjs";
import { describePlacement, freePort, HOST, PINNING, pinSelf, ROOT, runBench, sleep } from "./lib/processes.mjs";
import { freshDir, startServer } from "./lib/server.mjs";
import { formatMs, formatProblems, formatReqPerSec, markdownTable } from "./lib/table.mjs";
import { startVarnish } from "./lib/varnish.mjs";

const DATA_DIR = join(ROOT, ".bench-data", "breaking-news");
const HEADLINE = "Harbour bridge closed after ship strike";
const POLL_EVERY_MS = 20;
const POLL_GIVE_UP_MS = 30_000;
// Issue #23's goals for the edge.
const GOALS = { hitRatio: 0.95, p99Ms: 50, updateToEdgeMs: 1000 };

function parseOptions() {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "60" },
      connections: { type: "string", default: "50" },
      interval: { type: "string", default: "10" },
    },
  });
  const number = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`--${name} must be a whole number >= 1 (got ${JSON.stringify(values[name])})`);
    }
    return value;
  };
  return { seconds: number("seconds"), connections: number("connections"), intervalMs: number("interval") * 1000 };
}

/** The machine's 1, 5 and 15-minute load averages: on a shared machine, what the figures were measured beside. */
const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

const log = (message) => process.stderr.write(`${message}\n`);

/** A new free, unmetered article, created and published through the newsroom API; its public path and slug. */
async function publishBreakingStory(base, cookie) {
  const api = newsroomApi(base, cookie);
  const answer = async (res, what) => {
    const body = await res.json();
    if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
    return body;
  };
  // Filed in the section and under the byline of the newest published story of the demo paper.
  const list = await answer(await api("/articles?status=published&perPage=1"), "listing articles");
  const model = list.articles?.[0];
  if (!model) throw new Error("the newsroom API lists no published article to take a section and byline from");
  const paragraph = (text) => ({ type: "paragraph", content: [{ type: "text", text }] });
  const fields = {
    title: HEADLINE,
    kind: "news",
    sectionId: model.section.id,
    authorIds: model.authors.map((a) => a.id),
    body: {
      type: "doc",
      content: [
        paragraph("The harbour bridge was closed to traffic this morning after a cargo ship struck one of its piers."),
        paragraph("Engineers are inspecting the damage; the city asks drivers to use the ring road."),
      ],
    },
    accessLevel: "public",
    isMetered: false,
  };
  const made = await answer(await api("/articles", { method: "POST", body: JSON.stringify(fields) }), "creating");
  const { id, slug, section } = made.article;
  await answer(await api(`/articles/${id}/publish`, { method: "POST", body: "{}" }), "publishing");
  return { slug, path: `/${section.slug}/${slug}` };
}

/**
 * After each save, reads the article at `base` without cookies every POLL_EVERY_MS until the new headline is
 * served: the milliseconds from the save's answer to that response.
 */
function updatePoller(url) {
  const waits = [];
  const watch = async (title) => {
    const saved = performance.now();
    while (performance.now() - saved < POLL_GIVE_UP_MS) {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
      const html = (await res?.text()) ?? "";
      if (html.includes(title)) return performance.now() - saved;
      await sleep(POLL_EVERY_MS);
    }
    return Number.POSITIVE_INFINITY;
  };
  return {
    onSave: (fields) => waits.push(watch(fields.title)),
    times: () => Promise.all(waits),
  };
}

/** The load at `base` for the run's length while the editor saves a new headline every interval. */
async function replay(base, story, { label, staff, options, counters }) {
  const url = base + story.path;
  await warm(url);
  const poller = updatePoller(url);
  const before = counters?.();
  const editor = await newsroomClient(staff.base, {
    cookie: staff.cookie,
    slug: story.slug,
    intervalMs: options.intervalMs,
    edit: (fields, n) => ({ ...fields, title: `${HEADLINE}: update ${n}` }),
    onSave: poller.onSave,
  });
  log(
    `  ${label}: ${options.seconds} s at concurrency ${options.connections}, a new headline every ${options.intervalMs / 1000} s…`,
  );
  const load = await measure(url, { connections: options.connections, duration: options.seconds });
  const saves = await editor.stop();
  const after = counters?.();
  const waits = (await poller.times()).sort((x, y) => x - y);
  const edge =
    before && after
      ? {
          hits: after.hits - before.hits,
          misses: after.misses - before.misses,
          backendRequests: after.backendRequests - before.backendRequests,
        }
      : undefined;
  return { label, load, saves, waits, edge };
}

const formatWait = (ms) => (Number.isFinite(ms) ? formatMs(ms) : `not served within ${POLL_GIVE_UP_MS / 1000} s`);

function report(rows, { options, story, load }) {
  const cells = rows.map(({ label, load: l, saves, waits, edge }) => [
    label,
    l.requests.toLocaleString("en-US"),
    formatReqPerSec(l.reqPerSec),
    edge ? `${((edge.hits / (edge.hits + edge.misses)) * 100).toFixed(3)}% (${edge.misses} misses)` : "n/a",
    formatMs(l.p50),
    formatMs(l.p99),
    String(saves.saves),
    formatWait(waits[Math.floor(waits.length / 2)]),
    formatWait(waits.at(-1)),
    // At the origin every request is the origin's: the load's and the poller's alike.
    edge ? edge.backendRequests.toLocaleString("en-US") : `every one (${l.requests.toLocaleString("en-US")} + poller)`,
    [formatProblems(l), ...saves.failures.map((f) => `save ${f}`)].join(", "),
  ]);
  const header = ["through", "requests", "req/s", "hit ratio", "p50 ms", "p99 ms", "saves", "update→served p50 ms"];
  header.push("max ms", "origin requests", "errors");
  const edge = rows[0];
  const hitRatio = edge.edge.hits / (edge.edge.hits + edge.edge.misses);
  const goal = (met) => (met ? "met" : "MISSED");
  return [
    `Node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown CPU"}), ${describePlacement()} (varnishd beside the server), load average ${load}, ${new Date().toISOString()}`,
    `${story.path}: ${options.seconds} s per run at concurrency ${options.connections}, cookieless; a new headline every ${options.intervalMs / 1000} s; the poller reads every ${POLL_EVERY_MS} ms`,
    "",
    markdownTable(header, cells, [false, ...header.slice(1).map(() => true)]),
    "",
    `Each update to the edge serving it (ms): ${edge.waits.map(formatWait).join(", ")}`,
    `Goals: hit ratio ≥ ${GOALS.hitRatio * 100}% ${goal(hitRatio >= GOALS.hitRatio)}; p99 ≤ ${GOALS.p99Ms} ms ${goal(edge.load.p99 <= GOALS.p99Ms)}; update to edge ≤ ${GOALS.updateToEdgeMs} ms ${goal(edge.waits.at(-1) <= GOALS.updateToEdgeMs)}.`,
  ].join("\n");
}

async function main() {
  const options = parseOptions();
  freshDir(DATA_DIR);
  const owner = { email: "owner@bench.example", password: randomBytes(18).toString("base64url") };
  const edgePort = await freePort();
  log("Starting the server (its first start seeds the demo newspaper) and varnishd with its VCL…");
  const server = await startServer({
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    DATA_DIR,
    SEED_DEMO: "true",
    PAGE_CACHE: "true",
    BROADSHEET_OWNER_EMAIL: owner.email,
    BROADSHEET_OWNER_PASSWORD: owner.password,
    PUBLIC_URL: `http://${HOST}:${edgePort}`,
    CDN_PROVIDER: "varnish",
    CDN_PURGE_URL: `http://${HOST}:${edgePort}/`,
    // What is measured is the cache, not the origin's defences against one busy client.
    LOAD_SHED_LAG_MS: "0",
  });
  const varnish = await startVarnish(edgePort, Number(new URL(server.base).port));
  const staff = { base: server.base, cookie: await signInStaff(server.base, owner) };
  const story = await publishBreakingStory(server.base, staff.cookie);
  log(`Published ${story.path}; the replay, through Varnish, then straight at the origin:`);
  const loadBefore = loadAverage();
  pinSelf(PINNING?.load);
  const rows = [
    await replay(varnish.base, story, { label: "Varnish", staff, options, counters: varnish.counters }),
    await replay(server.base, story, { label: "origin (reference)", staff, options }),
  ];
  pinSelf(PINNING?.all);
  const load = `${loadBefore} before, ${loadAverage()} after`;
  await varnish.stop();
  process.stdout.write(`\n${report(rows, { options, story, load })}\n`);
}

runBench(main, "the breaking-news bench");
