// Newsletter send benchmark: one published article, partly gated, sent as the demo's "Breaking news" newsletter
// to N generated readers (every third with paid access) through a real SMTP server run here (smtp-server), while
// a cached article page is read at concurrency 10 beside it. It prints how long the send took from the newsroom's
// request to the last message accepted, how many readers got it once, twice or never (by Message-ID and address
// at the SMTP server), the cached page's p99 during the send, and whether the paywall held in a sample of the
// messages (subscribers get the gated text, the others never do). Every 2 s during the send a reader who takes no
// newsletter asks for a sign-in link: how long each waits for it, request to the SMTP server accepting it, shows
// whether transactional mail still goes first (it should arrive within seconds, however long the send).
//
//   node bench/newsletter-send.mjs                     # 100,000 readers on PGlite
//   node bench/newsletter-send.mjs --readers=10000
//   node bench/newsletter-send.mjs --kills=3           # kill -9 the server three times during the send,
//                                                      # restarting it each time: 0 missing is the goal, and
//                                                      # any duplicate must be a message the SMTP server had
//                                                      # accepted when the process died (same Message-ID)
//   node bench/newsletter-send.mjs --database-url=postgres://postgres@127.0.0.1:5432/bench_send
//
// The server runs with MAIL_RATE_PER_SECOND=0 (no provider limit here) and MAIL_CONCURRENCY=8, as an operator
// would set them for a provider that allows it; both are printed.
import { once } from "node:events";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SMTPServer } from "smtp-server";
import { createBenchDatabase, describeDatabaseUrl } from "./lib/bench-database.mjs";
import { newsroomApi, signInStaff } from "./lib/newsroom-client.mjs";
import {
  describePlacement,
  freePort,
  HOST,
  PINNING,
  pinSelf,
  ROOT,
  runBench,
  sleep,
  spawnNode,
  stopChild,
} from "./lib/processes.mjs";
import { freshDir, startServer } from "./lib/server.mjs";
import { markdownTable } from "./lib/table.mjs";

const { values: options } = parseArgs({
  options: {
    readers: { type: "string", default: "100000" },
    kills: { type: "string", default: "0" },
    "database-url": { type: "string" },
  },
});
const READERS = Number(options.readers);
const KILLS = Number(options.kills);
if (!Number.isInteger(READERS) || READERS < 1) throw new Error("--readers must be a whole number above 0");
if (!Number.isInteger(KILLS) || KILLS < 0) throw new Error("--kills must be a whole number, 0 or more");
const DATABASE_URL = options["database-url"];
const DATA_DIR = join(ROOT, ".bench-data", "newsletter-send");
const OWNER = { email: "owner@bench.test", password: "bench-owner-password-2026" };
const MAIL = { MAIL_RATE_PER_SECOND: "0", MAIL_CONCURRENCY: "8" };
/** Every this many messages one is parsed whole to check the paywall; the rest are counted by their headers. */
const SAMPLE_EVERY = 100;
const GIVE_UP_MS = 30 * 60_000;
/** Readers who take no newsletter, each asking once for a sign-in link during the send; 2 s apart. */
const SIGN_IN_READERS = 200;
const SIGN_IN_EVERY_MS = 2000;
const signInAddress = (i) => `sign-in-${i}@probe.bench`;

runBench(async () => {
  if (PINNING) pinSelf(PINNING.load);
  freshDir(DATA_DIR);
  const dropDatabase = DATABASE_URL ? await createBenchDatabase(DATABASE_URL) : undefined;
  const env = {
    DATA_DIR,
    ...(DATABASE_URL ? { DATABASE_URL } : {}),
    SEED_DEMO: "true",
    BROADSHEET_OWNER_EMAIL: OWNER.email,
    BROADSHEET_OWNER_PASSWORD: OWNER.password,
    ...MAIL,
    // The sign-in probes come from many addresses on one machine: each gets its own, as readers would have.
    TRUST_PROXY: "true",
  };
  try {
    // The first start makes the demo paper (and its newsletters); then the readers are written while it is down.
    await stopChild((await startServer(env)).child);
    const plan = await addReaders();
    const sink = await startSink(plan);
    process.stdout.write(`  SMTP server on port ${sink.port}; starting the server to send…\n`);
    const serverEnv = { ...env, SMTP_URL: `smtp://${HOST}:${sink.port}` };
    let server = await startServer(serverEnv);
    const api = newsroomApi(server.base, await signInStaff(server.base, OWNER));
    const page = await cachedArticle(server.base);
    process.stdout.write(`Sending to ${plan.expected} readers, reading ${page} beside it…\n`);
    const started = performance.now();
    const res = await api(`/newsletters/${plan.newsletterId}/sends`, {
      method: "POST",
      body: JSON.stringify({ articleId: plan.articleId }),
    });
    if (res.status !== 201) throw new Error(`the send answered ${res.status}: ${await res.text()}`);
    const reads = readBeside(() => server.base, page);
    const signIns = askForSignInLinks(() => server.base, sink);
    let kills = 0;
    let lastSeen = -1;
    let quietSince = performance.now();
    let shownAt = performance.now();
    for (;;) {
      await sleep(250);
      const delivered = sink.recipients.size;
      if (kills < KILLS && delivered >= (plan.expected * (kills + 1)) / (KILLS + 1) - 1 && delivered < plan.expected) {
        // At 1/(K+1), 2/(K+1)… of the send: the process dies as a crash would, mid-batch and mid-message.
        server.child.kill("SIGKILL");
        await once(server.child, "exit");
        kills++;
        process.stdout.write(`  killed at ${delivered} of ${plan.expected}; starting again\n`);
        server = await startServer(serverEnv);
      }
      if (delivered !== lastSeen) {
        lastSeen = delivered;
        quietSince = performance.now();
      }
      if (performance.now() - shownAt > 10_000) {
        shownAt = performance.now();
        process.stdout.write(`  ${delivered} of ${plan.expected} after ${((shownAt - started) / 1000).toFixed(0)} s\n`);
      }
      if (delivered >= plan.expected && performance.now() - quietSince > 5000) break;
      if (performance.now() - started > GIVE_UP_MS) break;
      if (delivered < plan.expected && performance.now() - quietSince > 120_000) break;
    }
    const pageLoad = await reads.stop();
    const signInWaits = await signIns.stop();
    await stopChild(server.child);
    await new Promise((resolve) => sink.server.close(resolve));
    report(plan, sink, { kills, seconds: (sink.lastAt - started) / 1000, pageLoad, signInWaits });
  } finally {
    await dropDatabase?.();
  }
}, "newsletter-send bench");

/** N readers, every third with paid access, all receiving the demo's "Breaking news"; and the article to send. */
async function addReaders() {
  const { openDatabase, queryRows } = await import(join(ROOT, "dist/db/index.js"));
  const { sql } = await import("drizzle-orm");
  const { database } = await openDatabase({ dataDir: DATA_DIR, databaseUrl: DATABASE_URL, databasePoolSize: 1 });
  try {
    process.stdout.write(`Adding ${READERS} readers…\n`);
    await database.exec(`
      INSERT INTO members (email, name, created_at, email_verified_at, paid_access)
      SELECT 'reader-' || i || '@readers.bench', 'Reader ' || i, now(), now(),
             CASE WHEN i % 3 = 0 THEN 'subscriber' END
        FROM generate_series(1, ${READERS}) i;
      INSERT INTO newsletter_subscriptions (newsletter_id, member_id, is_subscribed, source, changed_at)
      SELECT n.id, m.id, true, 'signup', now() FROM members m, newsletters n
       WHERE n.slug = 'breaking-news' AND m.email LIKE '%@readers.bench'
      ON CONFLICT DO NOTHING;
      INSERT INTO members (email, name, created_at, email_verified_at)
      SELECT 'sign-in-' || i || '@probe.bench', 'Probe ' || i, now(), now() FROM generate_series(1, ${SIGN_IN_READERS}) i;
      ANALYZE;`);
    const [newsletter] = await queryRows(database.db, sql`SELECT id FROM newsletters WHERE slug = 'breaking-news'`);
    // A published paid article: its gated words must reach subscribers and never a free reader.
    const [article] = await queryRows(
      database.db,
      sql`SELECT id, gated_text FROM articles WHERE status = 'published' AND access_level = 'paid'
          AND length(gated_text) > 200 ORDER BY published_at DESC LIMIT 1`,
    );
    if (!newsletter || !article) throw new Error("the demo paper has no Breaking news newsletter or gated article");
    process.stdout.write("  readers added; listing who receives it…\n");
    const recipients = await queryRows(
      database.db,
      sql`SELECT m.email, m.paid_access IS NOT NULL AS paid FROM newsletter_subscriptions s
            JOIN members m ON m.id = s.member_id
           WHERE s.newsletter_id = ${newsletter.id} AND s.is_subscribed`,
    );
    const gatedWords = article.gated_text.split(/\s+/).filter(Boolean).slice(0, 6).join(" ");
    return {
      newsletterId: newsletter.id,
      articleId: article.id,
      gatedWords,
      paid: new Set(recipients.filter((r) => r.paid).map((r) => r.email)),
      expected: recipients.length,
    };
  } finally {
    await database.close();
  }
}

/**
 * The SMTP server: every message's recipient and Message-ID from its header lines, counted; one in SAMPLE_EVERY
 * parsed whole (mailparser) to see whether it carries the article's gated words.
 */
async function startSink(plan) {
  const { simpleParser } = await import("mailparser");
  const sink = {
    port: await freePort(),
    recipients: new Map(),
    /** When each sign-in probe's link was accepted, by address. */
    signInArrivals: new Map(),
    messages: 0,
    sampled: { paid: 0, paidWithGated: 0, free: 0, freeWithGated: 0 },
    lastAt: 0,
  };
  let n = 0;
  sink.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, raw.indexOf("\r\n\r\n")).toString("utf8");
        const messageId = /^message-id:\s*(<[^>]+>)/im.exec(head)?.[1] ?? "";
        for (const rcpt of session.envelope.rcptTo) {
          const to = rcpt.address.toLowerCase();
          if (to.endsWith("@probe.bench")) {
            sink.signInArrivals.set(to, performance.now());
            continue;
          }
          const ids = sink.recipients.get(to) ?? [];
          ids.push(messageId);
          sink.recipients.set(to, ids);
        }
        if (session.envelope.rcptTo.some((r) => r.address.toLowerCase().endsWith("@probe.bench"))) {
          callback();
          return;
        }
        sink.messages++;
        sink.lastAt = performance.now();
        if (n++ % SAMPLE_EVERY === 0) {
          const mail = await simpleParser(raw);
          const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? "";
          const words = `${mail.html || ""}\n${mail.text || ""}`.replace(/\s+/g, " ");
          const hasGated = words.includes(plan.gatedWords);
          if (plan.paid.has(to)) {
            sink.sampled.paid++;
            if (hasGated) sink.sampled.paidWithGated++;
          } else {
            sink.sampled.free++;
            if (hasGated) sink.sampled.freeWithGated++;
          }
        }
        callback();
      });
    },
  });
  // A sender killed mid-conversation resets its connection: expected here, and its message was never accepted.
  sink.server.on("error", () => undefined);
  await new Promise((resolve) => sink.server.listen(sink.port, HOST, resolve));
  return sink;
}

/** A free article's page, read once so it is cached: what readers keep reading while the send goes out. */
async function cachedArticle(base) {
  // A server just started on a busy machine may shed the first requests (503): asked again a second later.
  let res = await fetch(`${base}/`);
  for (let tries = 1; !res.ok && tries < 30; tries++) {
    await sleep(1000);
    res = await fetch(`${base}/`);
  }
  const home = await res.text();
  const path = [...home.matchAll(/href="(\/[a-z0-9-]+\/[a-z0-9-]+)"/g)]
    .map((m) => m[1])
    .find((href) => !/^\/(section|tag|author|newsletters|account|subscribe)\//.test(href));
  if (!path) throw new Error("no article link on the front page");
  await (await fetch(base + path)).arrayBuffer();
  return path;
}

/**
 * Reads the page at concurrency 10 in 5-second runs until stopped, from a process of its own: in this one it
 * would hold up the SMTP server and slow the send it measures. Each run's requests a second and p99.
 */
function readBeside(baseOf, path) {
  const runs = [];
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const reader = spawnNode(["bench/lib/measure-once.mjs", baseOf() + path, "10", "5"], {});
      let out = "";
      reader.stdout.on("data", (chunk) => {
        out += chunk;
      });
      await once(reader, "exit");
      const run = out.trim() ? JSON.parse(out.trim()) : undefined;
      if (run?.ok) runs.push(run);
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return runs;
    },
  };
}

/**
 * Every SIGN_IN_EVERY_MS until stopped, a reader asks for a sign-in link as the sign-in form does (from an address
 * of their own); `stop` waits up to a minute for the links asked for, and gives each one's wait in ms (undefined:
 * never came).
 */
function askForSignInLinks(baseOf, sink) {
  const asked = [];
  let stopping = false;
  const loop = (async () => {
    for (let i = 1; i <= SIGN_IN_READERS && !stopping; i++) {
      const email = signInAddress(i);
      const at = performance.now();
      const res = await fetch(`${baseOf()}/signin`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-forwarded-for": `10.9.${i >> 8}.${i & 255}`,
        },
        body: new URLSearchParams({ email }).toString(),
      }).catch(() => undefined);
      if (res?.status === 200) asked.push({ email, at });
      await res?.arrayBuffer();
      await sleep(Math.max(0, SIGN_IN_EVERY_MS - (performance.now() - at)));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      const deadline = performance.now() + 60_000;
      while (asked.some((a) => !sink.signInArrivals.has(a.email)) && performance.now() < deadline) await sleep(250);
      return asked.map((a) => {
        const arrived = sink.signInArrivals.get(a.email);
        return arrived === undefined ? undefined : arrived - a.at;
      });
    },
  };
}

function report(plan, sink, { kills, seconds, pageLoad, signInWaits }) {
  let once_ = 0;
  let twiceSameId = 0;
  let twiceOtherId = 0;
  for (const ids of sink.recipients.values()) {
    if (ids.length === 1) once_++;
    else if (new Set(ids).size === 1) twiceSameId++;
    else twiceOtherId++;
  }
  const missing = plan.expected - sink.recipients.size;
  const p99s = pageLoad.map((r) => r.p99).sort((a, b) => a - b);
  const rates = pageLoad.map((r) => r.reqPerSec).sort((a, b) => a - b);
  const { sampled } = sink;
  process.stdout.write(
    `\n${describePlacement()}; ${DATABASE_URL ? describeDatabaseUrl(DATABASE_URL) : "embedded PGlite"}; ` +
      `MAIL_CONCURRENCY=${MAIL.MAIL_CONCURRENCY}, MAIL_RATE_PER_SECOND=${MAIL.MAIL_RATE_PER_SECOND}; ` +
      `load average ${loadavg()[0].toFixed(1)}\n\n`,
  );
  const rows = [
    ["readers receiving it", String(plan.expected)],
    ["send, request to last message", `${seconds.toFixed(1)} s (${(sink.messages / seconds).toFixed(0)} messages/s)`],
    ["received once", String(once_)],
    ["received twice, same Message-ID (accepted, then the process died)", String(twiceSameId)],
    ["received twice, different Message-IDs (a defect)", String(twiceOtherId)],
    ["never received", String(missing)],
    ["kill -9 during the send", String(kills)],
    [
      "cached page beside it, c=10: req/s median, p99 median / worst",
      `${quantile(rates, 0.5).toFixed(0)}, ${quantile(p99s, 0.5)} / ${p99s.at(-1)} ms (${pageLoad.length} runs of 5 s)`,
    ],
    ["sign-in links asked for during the send (one every 2 s)", describeWaits(signInWaits)],
    ["paywall, sampled subscribers with the gated text", `${sampled.paidWithGated} of ${sampled.paid}`],
    ["paywall, sampled free readers with the gated text", `${sampled.freeWithGated} of ${sampled.free}`],
  ];
  process.stdout.write(`${markdownTable(["", "figure"], rows, [false, true])}\n`);
  const failed =
    missing > 0 ||
    twiceOtherId > 0 ||
    sampled.freeWithGated > 0 ||
    sampled.paidWithGated < sampled.paid ||
    signInWaits.includes(undefined);
  if (failed) {
    throw new Error(
      "readers missed the newsletter or a sign-in link, got it twice, or the paywall did not hold (above)",
    );
  }
}

/** "N: wait p50 / p95 / worst" of the sign-in links, and how many never came. */
function describeWaits(waits) {
  const came = waits.filter((w) => w !== undefined).sort((a, b) => a - b);
  if (came.length === 0) return `${waits.length} asked, none came`;
  const s = (ms) => (ms / 1000).toFixed(1);
  const lost = waits.length - came.length;
  return `${waits.length}: wait p50 ${s(quantile(came, 0.5))} / p95 ${s(quantile(came, 0.95))} / worst ${s(came.at(-1))} s${lost ? `; ${lost} never came` : ""}`;
}

/** The value at quantile `q` of sorted values (NaN for none): the median and p95 of the report alike. */
function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : Number.NaN;
}
