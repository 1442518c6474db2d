// Search benchmark: a generated corpus of 100,000 published articles of about 800 words (a 90-word preview, the
// rest gated in two articles of three) in its own data dir (built once, kept in .bench-data/search-corpus-N),
// then varied queries one after another against the real server, uncached (PAGE_CACHE=false): p50, p95, p99.
// Twice in one run: first with the vectors as they were before whole-article search (headline, dek, authors and
// preview only, no accent folding), then with every article's whole text (article_search_vector), the same code
// serving both, so the figures compare the indexes side by side.
//
//   node bench/search.mjs                                   # 100,000 articles on PGlite (hours to build)
//   node bench/search.mjs --articles=10000                  # another size
//   node bench/search.mjs --database-url=postgres://…/db    # on a PostgreSQL server (an empty database)
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: options } = parseArgs({
  options: { articles: { type: "string", default: "100000" }, "database-url": { type: "string" } },
});
const ARTICLES = Number(options.articles);
if (!Number.isInteger(ARTICLES) || ARTICLES < 1) throw new Error("--articles must be a whole number above 0");
// With --database-url=postgres://… the corpus goes into that (empty) database on a PostgreSQL server instead.
const DATABASE_URL = options["database-url"];
const QUERIES = 600;
const DATA_DIR = join(".bench-data", `search-corpus-${ARTICLES}-whole`);
const PREVIEW_WORDS = 90;
const GATED_WORDS = 690;
const WORDS = (
  "budget assembly minister harbour strike negotiation negotiations election coalition court ruling inflation " +
  "bank rate gas field pipeline ferry corridor drought reservoir farmers vineyard wine lagoon flamingo coast " +
  "wind tender turbine football club derby coach wrestling medal sailing regatta festival film novel theatre " +
  "startup software data centre identity outage tax deadline port shipping containers crane workers union wages " +
  "prices energy tariff exports imports treaty border talks summit opposition reform pension school hospital " +
  "river flood storm heat record museum restoration orchestra concert market tourism hotel airline route"
).split(" ");
// A news vocabulary is long-tailed: the real words above come first and are picked often, then thousands of
// rarer made-up words (syllable pairs), so a query matches a realistic share of the corpus.
const SYLLABLES = "ka lo mi ra ten vor dal sen bri tas mon pel gar dun fis lor ven sal tor mek".split(" ");
const RARE = SYLLABLES.flatMap((a) => SYLLABLES.flatMap((b) => SYLLABLES.map((c) => `${a}${b}${c}`)));
const VOCABULARY = [...WORDS, ...RARE];

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A small, seeded generator, so every corpus of a given size is the same corpus. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(20261128);
// power(random, 3) favours the start of the list: frequent real words, then the long tail.
const words = (n) =>
  Array.from({ length: n }, () => VOCABULARY[Math.floor(random() ** 3 * VOCABULARY.length)]).join(" ");
const quote = (text) => `'${text.replaceAll("'", "''")}'`;

async function buildCorpus() {
  if (!DATABASE_URL && existsSync(join(DATA_DIR, "corpus.ready"))) return;
  mkdirSync(DATA_DIR, { recursive: true });
  const { openDatabase, queryRows } = await import("../dist/db/index.js");
  const { sql } = await import("drizzle-orm");
  const { database } = await openDatabase({ dataDir: DATA_DIR, databaseUrl: DATABASE_URL, databasePoolSize: 1 });
  const [present] = await queryRows(database.db, sql`SELECT count(*)::int AS n FROM articles`);
  if (present.n === ARTICLES) return database.close();
  if (present.n !== 0) throw new Error(`the database holds ${present.n} articles: give the bench an empty one`);
  process.stdout.write(`Generating ${ARTICLES} articles (once; kept in ${DATA_DIR})…\n`);
  await database.exec(`
    INSERT INTO site_settings (id, title) VALUES (1, 'Search bench') ON CONFLICT DO NOTHING;
    INSERT INTO sections (slug, name, position) SELECT 'section-' || i, 'Section ' || i, i FROM generate_series(1, 8) i;
    INSERT INTO staff (email, name, slug, role) VALUES ('bench@example.test', 'Bench Writer', 'bench-writer', 'author');
    CREATE TEMP TABLE section_ids AS SELECT row_number() OVER (ORDER BY position) - 1 AS n, id FROM sections;`);
  const BATCH = 250;
  for (let done = 0; done < ARTICLES; done += BATCH) {
    const rows = [];
    for (let g = done + 1; g <= Math.min(ARTICLES, done + BATCH); g++) {
      const title = words(7).replace(/^./, (c) => c.toUpperCase());
      const access = g % 3 === 0 ? "public" : "paid";
      rows.push(
        `(${g}, ${quote(title)}, ${quote(words(20))}, ${quote(words(PREVIEW_WORDS))}, ${quote(words(GATED_WORDS))}, '${access}')`,
      );
    }
    await database.exec(`
      INSERT INTO articles (slug, title, dek, kind, section_id, status, body_doc, preview_text, gated_text, gated_html,
                            access_level, published_at, first_published_at)
      SELECT 'a-' || v.g, v.title, v.dek, 'news', s.id, 'published', '{"type":"doc","content":[]}', v.preview,
             v.gated, '<p>' || v.gated || '</p>', v.access,
             now() - (v.g || ' minutes')::interval, now() - (v.g || ' minutes')::interval
        FROM (VALUES ${rows.join(",")}) AS v(g, title, dek, preview, gated, access) JOIN section_ids s ON s.n = v.g % 8;`);
    if ((done + BATCH) % 10_000 === 0) process.stdout.write(`  ${done + BATCH}\n`);
  }
  await database.exec(`
    INSERT INTO article_authors (article_id, staff_id, position) SELECT a.id, s.id, 0 FROM articles a, staff s;
    INSERT INTO search_words SELECT readable_words(a.id) FROM articles a ON CONFLICT DO NOTHING;`);
  await database.close();
  if (!DATABASE_URL) writeFileSync(join(DATA_DIR, "corpus.ready"), "ok\n");
}

/** The two indexes compared: the vectors as they were before whole-article search, and as they are now. */
const INDEXES = [
  {
    name: "preview only (before)",
    vector: `setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', dek), 'B')
      || setweight(to_tsvector('english', 'Bench Writer'), 'C') || setweight(to_tsvector('english', preview_text), 'D')`,
  },
  { name: "whole article (after)", vector: "article_search_vector(id, 'folded_english')" },
];

async function writeVectors(index) {
  const { openDatabase } = await import("../dist/db/index.js");
  const { database } = await openDatabase({ dataDir: DATA_DIR, databaseUrl: DATABASE_URL, databasePoolSize: 1 });
  process.stdout.write(`Writing the vectors: ${index.name}…\n`);
  await database.exec(`UPDATE articles SET search_vector = ${index.vector}`);
  await database.exec("VACUUM ANALYZE articles");
  await database.close();
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const SHAPES = [
  ["one word", (a) => a],
  ["two words", (a, b) => `${a} ${b}`],
  ["quoted phrase", (a, b) => `"${a} ${b}"`],
  ["word being typed", (a) => a.slice(0, 5)],
  ["word -excluded", (a, b) => `${a} -${b}`],
  ["misspelt word (suggestion)", (a) => `${a.slice(0, -1)}q`],
];

/** The server on the corpus as it stands, QUERIES searches one after another, their times by shape. */
async function measure() {
  const port = await freePort();
  const server = spawn(process.execPath, ["dist/main.js"], {
    env: {
      ...process.env,
      DATA_DIR,
      PORT: String(port),
      LOG_LEVEL: "warn",
      SEED_DEMO: "false",
      // Every search read afresh: the figure asked of search is the uncached one.
      PAGE_CACHE: "false",
      SEARCH_RATE_LIMIT: "0",
      // One search at a time: the event loop's lag on a machine busy with other work is not what is measured.
      LOAD_SHED_LAG_MS: "0",
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const stop = () => server.kill("SIGTERM");
  process.on("SIGINT", stop);
  try {
    const base = `http://127.0.0.1:${port}`;
    // A first start on an existing corpus applies new migrations to every article, which takes a while.
    let ready = false;
    for (let i = 0; i < 3000 && !ready; i++) {
      ready = Boolean((await fetch(`${base}/readyz`).catch(() => undefined))?.ok);
      if (!ready) await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) throw new Error("the server did not become ready in 5 minutes");
    const queries = Array.from({ length: QUERIES }, (_, i) => {
      const [shape, make] = SHAPES[i % SHAPES.length];
      return { shape, q: make(WORDS[(i * 7) % WORDS.length], WORDS[(i * 13 + 5) % WORDS.length]) };
    });
    for (const { q } of queries.slice(0, 50))
      await fetch(`${base}/search?q=${encodeURIComponent(q)}`).then((r) => r.text());
    const times = [];
    for (const { shape, q } of queries) {
      const start = performance.now();
      const res = await fetch(`${base}/search?q=${encodeURIComponent(q)}`);
      await res.text();
      if (res.status !== 200) throw new Error(`search for ${q} answered ${res.status}`);
      times.push({ shape, ms: performance.now() - start });
    }
    return times;
  } finally {
    stop();
    await exited;
    process.off("SIGINT", stop);
  }
}

async function main() {
  await buildCorpus();
  const runs = [];
  for (const index of INDEXES) {
    await writeVectors(index);
    runs.push(await measure());
  }
  const cells = (list) => {
    const sorted = list.map((t) => t.ms).sort((x, y) => x - y);
    return [50, 95].map((p) => percentile(sorted, p).toFixed(1));
  };
  const row = (label, pick) => `| ${label} | ${runs.flatMap((times) => cells(pick(times))).join(" | ")} |`;
  const where = DATABASE_URL ? "PostgreSQL server" : "embedded PGlite";
  process.stdout.write(
    [
      "",
      `| search, ${ARTICLES.toLocaleString("en")} articles, ${where}, uncached | ${INDEXES.map((i) => `${i.name} p50 ms | p95 ms`).join(" | ")} |`,
      `| --- |${" --- | --- |".repeat(INDEXES.length)}`,
      ...SHAPES.map(([shape]) => row(shape, (times) => times.filter((t) => t.shape === shape))),
      row(`**all** (${QUERIES} each)`, (times) => times),
      "",
    ].join("\n"),
  );
}

main().catch((err) => {
  process.stderr.write(`search bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
