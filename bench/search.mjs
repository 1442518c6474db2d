// Search benchmark: a generated corpus of published articles of about 800 words (a 90-word preview, the rest
// gated in two articles of three), built once by writing the rows straight into the tables (kept in
// .bench-data/search-corpus-N, or in the database named by --database-url), then varied queries one after another against the real server, uncached (PAGE_CACHE=false):
// p50 and p95 per kind of query.
//
// With --before=DIR (another build of Broadsheet: a checkout with `node scripts/build.mjs server` run in it) the
// corpus is built by that build, copied once per build, each copy brought to its build's schema, and the two
// servers measured in turn, several rounds alternating, so both see the same moments of a shared machine. The
// load average is printed beside the table.
//
//   node bench/search.mjs                                   # 100,000 articles on PGlite
//   node bench/search.mjs --articles=10000                  # another size
//   node bench/search.mjs --database-url=postgres://…/db    # on a PostgreSQL server (an empty database; the
//                                                           # copies are db_before and db_after)
//   node bench/search.mjs --articles=10000 --before=/tmp/old-checkout
//   node bench/search.mjs --data-dir=/tmp                   # the embedded corpus kept in /tmp/search-corpus-…
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { copyBenchDatabase } from "./lib/bench-database.mjs";

const { values: options } = parseArgs({
  options: {
    articles: { type: "string", default: "100000" },
    "database-url": { type: "string" },
    before: { type: "string" },
    rounds: { type: "string", default: "2" },
    // Where the embedded corpus is kept (a 100,000-article one takes gigabytes): .bench-data by default.
    "data-dir": { type: "string", default: ".bench-data" },
  },
});
const ARTICLES = Number(options.articles);
if (!Number.isInteger(ARTICLES) || ARTICLES < 1) throw new Error("--articles must be a whole number above 0");
const ROUNDS = Number(options.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("--rounds must be a whole number above 0");
// With --database-url=postgres://… the corpus goes into that (empty) database on a PostgreSQL server instead.
const DATABASE_URL = options["database-url"];
/** The builds measured: the one here, and with --before another one first. */
const BUILDS = options.before
  ? [
      { name: "before", root: resolve(options.before) },
      { name: "after", root: resolve(".") },
    ]
  : [{ name: "this build", root: resolve(".") }];
const QUERIES = 600;
const DATA_DIR = join(options["data-dir"], `search-corpus-${ARTICLES}-${options.before ? "base" : "whole"}`);
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

/**
 * The corpus, written straight into the tables in one transaction: the article-side indexes dropped first and
 * made again from their own definitions after (one build of each GIN index instead of 100,000 insertions), each
 * row's search vector computed in its INSERT, as article_search_vector computes it for an article by the bench's
 * one author without tags. A sample is then checked against article_search_vector itself, so the corpus holds the
 * vectors a save through the app writes; the suggestions' words are counted as migration 0023 counts them.
 */
async function buildCorpus() {
  if (!DATABASE_URL && existsSync(join(DATA_DIR, "corpus.ready"))) return;
  mkdirSync(DATA_DIR, { recursive: true });
  const { openDatabase, queryRows } = await import(join(BUILDS[0].root, "dist/db/index.js"));
  const { sql } = await import("drizzle-orm");
  const { database } = await openDatabase({ dataDir: DATA_DIR, databaseUrl: DATABASE_URL, databasePoolSize: 1 });
  const rows = (text) => queryRows(database.db, sql.raw(text));
  const [present] = await rows("SELECT count(*)::int AS n FROM articles");
  if (present.n === ARTICLES) return database.close();
  if (present.n !== 0) throw new Error(`the database holds ${present.n} articles: give the bench an empty one`);
  process.stdout.write(`Generating ${ARTICLES} articles (once; kept in ${DATA_DIR})…\n`);
  const started = performance.now();
  const indexes = await rows(`SELECT indexname AS name, pg_get_indexdef(indexrelid) AS definition
    FROM pg_indexes JOIN pg_class c ON c.relname = indexname JOIN pg_index i ON i.indexrelid = c.oid
   WHERE tablename = 'articles' AND NOT i.indisprimary AND NOT i.indisunique`);
  await database.exec(`BEGIN;
    SET LOCAL maintenance_work_mem = '256MB';
    ${indexes.map((i) => `DROP INDEX "${i.name}";`).join("\n")}
    INSERT INTO site_settings (id, title) VALUES (1, 'Search bench') ON CONFLICT DO NOTHING;
    INSERT INTO sections (slug, name, position) SELECT 'section-' || i, 'Section ' || i, i FROM generate_series(1, 8) i;
    INSERT INTO staff (email, name, slug, role) VALUES ('bench@example.test', 'Bench Writer', 'bench-writer', 'author');
    CREATE TEMP TABLE section_ids AS SELECT row_number() OVER (ORDER BY position) - 1 AS n, id FROM sections;`);
  const vector = (column, weight) => `setweight(to_tsvector('folded_english', search_fold(${column})), '${weight}')`;
  const BATCH = 250;
  for (let done = 0; done < ARTICLES; done += BATCH) {
    const values = [];
    for (let g = done + 1; g <= Math.min(ARTICLES, done + BATCH); g++) {
      const title = words(7).replace(/^./, (c) => c.toUpperCase());
      const access = g % 3 === 0 ? "public" : "paid";
      values.push(
        `(${g}, ${quote(title)}, ${quote(words(20))}, ${quote(words(PREVIEW_WORDS))}, ${quote(words(GATED_WORDS))}, '${access}')`,
      );
    }
    await database.exec(`
      INSERT INTO articles (slug, title, dek, kind, section_id, status, body_doc, preview_text, gated_text, gated_html,
                            access_level, published_at, first_published_at, search_vector)
      SELECT 'a-' || v.g, v.title, v.dek, 'news', s.id, 'published', '{"type":"doc","content":[]}', v.preview,
             v.gated, '<p>' || v.gated || '</p>', v.access,
             now() - (v.g || ' minutes')::interval, now() - (v.g || ' minutes')::interval,
             ${vector("v.title", "A")} || ${vector("v.dek || ' '", "B")} || ${vector("v.preview", "C")}
               || ${vector("v.gated", "D")} || ${vector("'Bench Writer'", "C")}
        FROM (VALUES ${values.join(",")}) AS v(g, title, dek, preview, gated, access) JOIN section_ids s ON s.n = v.g % 8;`);
    if ((done + BATCH) % 10_000 === 0) process.stdout.write(`  ${done + BATCH}\n`);
  }
  await database.exec(`
    INSERT INTO article_authors (article_id, staff_id, position) SELECT a.id, s.id, 0 FROM articles a, staff s;
    ALTER TABLE article_search_words DISABLE TRIGGER article_search_words_count;
    INSERT INTO article_search_words (article_id, words)
    SELECT a.id, ARRAY(SELECT w FROM readable_words(a.id) AS w ORDER BY w) FROM articles a;
    ALTER TABLE article_search_words ENABLE TRIGGER article_search_words_count;
    INSERT INTO search_words (word, articles)
    SELECT w, count(*) FROM article_search_words, unnest(words) AS w GROUP BY w;
    ${indexes.map((i) => `${i.definition};`).join("\n")}
    COMMIT;`);
  const [differing] = await rows(`SELECT count(*)::int AS n FROM (SELECT * FROM articles ORDER BY random() LIMIT 200) a
    WHERE a.search_vector IS DISTINCT FROM article_search_vector(a.id, 'folded_english')`);
  if (differing.n > 0) throw new Error(`${differing.n} of 200 sampled vectors differ from article_search_vector's`);
  await database.close();
  process.stdout.write(`Built in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);
  if (!DATABASE_URL) writeFileSync(join(DATA_DIR, "corpus.ready"), "ok\n");
}

/**
 * The corpus as one build sees it: a copy of it (a data dir, or a database made from it as a template) when two
 * builds are compared, opened by that build so its migrations run, then vacuumed and analysed as a live site is.
 */
async function corpusFor(build) {
  let where = { dataDir: DATA_DIR, databaseUrl: DATABASE_URL };
  if (BUILDS.length > 1) {
    if (DATABASE_URL) {
      where = { dataDir: DATA_DIR, databaseUrl: await copyBenchDatabase(DATABASE_URL, build.name) };
    } else {
      const copy = `${DATA_DIR.replace(/-base$/, "")}-${build.name}`;
      rmSync(copy, { recursive: true, force: true });
      cpSync(DATA_DIR, copy, { recursive: true });
      rmSync(join(copy, "broadsheet.pid"), { force: true });
      where = { dataDir: copy, databaseUrl: undefined };
    }
  }
  const { openDatabase } = await import(join(build.root, "dist/db/index.js"));
  process.stdout.write(`Bringing the corpus to the ${build.name} build's schema…\n`);
  const { database } = await openDatabase({ ...where, databasePoolSize: 1 });
  await database.exec("VACUUM ANALYZE");
  await database.close();
  return where;
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

const QUERY_LIST = Array.from({ length: QUERIES }, (_, i) => {
  const [shape, make] = SHAPES[i % SHAPES.length];
  return { shape, q: make(WORDS[(i * 7) % WORDS.length], WORDS[(i * 13 + 5) % WORDS.length]) };
});

async function startServer(build, where) {
  const port = await freePort();
  const { DATABASE_URL: _shell, ...inherited } = process.env;
  const server = spawn(process.execPath, [join(build.root, "dist/main.js")], {
    cwd: build.root,
    env: {
      ...inherited,
      DATA_DIR: resolve(where.dataDir),
      PORT: String(port),
      LOG_LEVEL: "warn",
      SEED_DEMO: "false",
      // Every search read afresh: the figure asked of search is the uncached one.
      PAGE_CACHE: "false",
      SEARCH_RATE_LIMIT: "0",
      // One search at a time: the event loop's lag on a machine busy with other work is not what is measured.
      LOAD_SHED_LAG_MS: "0",
      ...(where.databaseUrl ? { DATABASE_URL: where.databaseUrl } : {}),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((done) => server.once("exit", done));
  const stop = async () => {
    server.kill("SIGTERM");
    await exited;
  };
  const base = `http://127.0.0.1:${port}`;
  let ready = false;
  for (let i = 0; i < 3000 && !ready; i++) {
    ready = Boolean((await fetch(`${base}/readyz`).catch(() => undefined))?.ok);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    await stop();
    throw new Error(`the ${build.name} server did not become ready in 5 minutes`);
  }
  return { base, stop };
}

/** One round on one build: its server on its corpus, `queries` searches one after another, their times. */
async function measure(build, where, queries) {
  const { base, stop } = await startServer(build, where);
  try {
    for (const { q } of QUERY_LIST.slice(0, 50))
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
    await stop();
  }
}

async function main() {
  await buildCorpus();
  const corpora = [];
  for (const build of BUILDS) corpora.push(await corpusFor(build));
  const runs = BUILDS.map(() => []);
  const loads = [];
  // Each round measures every build on its share of the queries, alternating, so a busy spell hits both.
  for (let round = 0; round < ROUNDS; round++) {
    const share = QUERY_LIST.filter((_, i) => i % ROUNDS === round);
    for (const [i, build] of BUILDS.entries()) {
      loads.push(loadavg()[0]);
      process.stdout.write(`Round ${round + 1} of ${ROUNDS}: ${build.name}…\n`);
      runs[i].push(...(await measure(build, corpora[i], share)));
    }
  }
  loads.push(loadavg()[0]);
  const cells = (list) => {
    const sorted = list.map((t) => t.ms).sort((x, y) => x - y);
    return [50, 95].map((p) => percentile(sorted, p).toFixed(1));
  };
  const row = (label, pick) => `| ${label} | ${runs.flatMap((times) => cells(pick(times))).join(" | ")} |`;
  const where = DATABASE_URL ? "PostgreSQL server" : "embedded PGlite";
  process.stdout.write(
    [
      "",
      `| search, ${ARTICLES.toLocaleString("en")} articles, ${where}, uncached | ${BUILDS.map((b) => `${b.name} p50 ms | p95 ms`).join(" | ")} |`,
      `| --- |${" --- | --- |".repeat(BUILDS.length)}`,
      ...SHAPES.map(([shape]) => row(shape, (times) => times.filter((t) => t.shape === shape))),
      row(`**all** (${QUERIES} each)`, (times) => times),
      "",
      `1-minute load average at each round's start and at the end: ${loads.map((l) => l.toFixed(1)).join(", ")}`,
      "",
    ].join("\n"),
  );
}

main().catch((err) => {
  process.stderr.write(`search bench failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
