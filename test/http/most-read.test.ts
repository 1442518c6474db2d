/**
 * "Most read" over HTTP: reads counted in memory (cached pages and the front door included, robots and HEADs not),
 * saved only by the round, listed most read first, published articles only, and the cached front page dropped
 * by the round's check when the list changes.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

describe.each(databaseKinds())("most read on %s", (kind) => {
  let app: TestApp;
  const clock = fixedClock(new Date("2031-03-10T09:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    await app.make.settings();
  });
  afterAll(async () => {
    await app?.close();
  });

  const read = (path: string, userAgent = BROWSER, method = "GET") =>
    app.get(path, { method, headers: { "user-agent": userAgent } }).then(async (res) => {
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    });
  const pathOf = (a: { slug: string; section: { slug: string } }) => `/${a.section.slug}/${a.slug}`;
  const savedReads = async () => {
    const [row] = await queryRows<{ total: number | null; rows: number }>(
      app.db,
      sql`SELECT sum(reads)::int AS total, count(*)::int AS rows FROM article_reads`,
    );
    return { total: Number(row?.total ?? 0), rows: Number(row?.rows ?? 0) };
  };
  /** The front page's "Most read" rail: its headlines in order. */
  const mostReadOnFront = async () => {
    const html = await app.html("/");
    const rail = html.match(/<section class="most-read"[\s\S]*?<\/section>/)?.[0] ?? "";
    return [...rail.matchAll(/<h3 class="headline-title"><a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]);
  };

  test("reads are counted in memory and written only by the round, robots and HEADs left out", async () => {
    const article = await app.make.article({ title: "Ferry timetable changes" });
    const before = await savedReads();
    for (let i = 0; i < 4; i++) await read(pathOf(article)); // the first renders, the rest come from the cache
    await read(pathOf(article), "Googlebot/2.1 (+http://www.google.com/bot.html)");
    await read(pathOf(article), "curl/8.5.0");
    await read(pathOf(article), BROWSER, "HEAD");
    expect(await savedReads()).toEqual(before); // no write per page view
    await app.built.readCounts.flush();
    const [row] = await queryRows<{ reads: number }>(
      app.db,
      sql`SELECT reads FROM article_reads WHERE article_id = ${article.id}`,
    );
    expect(Number(row?.reads)).toBe(4);
  });

  test("the list is the most read first, published articles only, and the front page follows on the round", async () => {
    clock.advance(3_600_000);
    const a = await app.make.article({ title: "Budget vote delayed" });
    const b = await app.make.article({ title: "Harbour strike ends" });
    const gone = await app.make.article({ title: "Withdrawn story" });
    const paid = await app.make.article({
      title: "Inside the oil fund",
      accessLevel: "paid",
      paragraphs: ["Anyone may read this.", "Only subscribers read this sentence about the fund."],
      previewAfter: 1,
    });
    await app.built.rounds.checkMostRead();
    for (let i = 0; i < 2; i++) await read(pathOf(a));
    for (let i = 0; i < 5; i++) await read(pathOf(b));
    for (let i = 0; i < 7; i++) await read(pathOf(gone));
    for (let i = 0; i < 3; i++) await read(pathOf(paid));
    const withdrawn = await content.unpublishArticle({ db: app.db, clock }, gone.id);
    await app.built.invalidator.invalidate(withdrawn.invalidates);
    // Until the round has run, the cached front page is the one rendered before these reads.
    const stale = await mostReadOnFront();
    expect(await app.built.rounds.checkMostRead()).toBe(true);
    const listed = await content.listMostRead(app.db, { since: new Date("2031-03-10T00:00:00Z"), limit: 10 });
    expect(listed.map((x) => x.title)).toEqual([
      "Harbour strike ends",
      "Ferry timetable changes",
      "Inside the oil fund",
      "Budget vote delayed",
    ]);
    const front = await mostReadOnFront();
    expect(front).not.toEqual(stale);
    expect(front).toEqual(listed.map((x) => x.title));
    const html = await app.html("/");
    expect(html).toContain("Most read");
    expect(html).not.toContain("Withdrawn story");
    expect(html).not.toContain("Only subscribers read this sentence");
    // Nothing changed since: the next round leaves the cached front page alone.
    expect(await app.built.rounds.checkMostRead()).toBe(false);
  });

  test("the list reads the last day, and the week while the day has too few", async () => {
    clock.advance(2 * 24 * 3_600_000);
    const week = await content.findMostRead(app.db, clock.now());
    expect(week.period).toBe("week");
    expect(week.articles.map((x) => x.title)).toContain("Harbour strike ends");
    clock.advance(8 * 24 * 3_600_000);
    expect((await content.findMostRead(app.db, clock.now())).articles).toEqual([]);
  });
  test("under articles it is a fragment of its own: the cached article page stays, the fragment follows the round", async () => {
    clock.advance(3_600_000);
    const titles = ["Tram line opens", "Port fees rise", "Court clears mayor", "Flood defences tested"];
    const articles = [];
    for (const title of [...titles, "Library hours cut", "Bridge repairs start", "Rail fares frozen"]) {
      articles.push(await app.make.article({ title }));
    }
    const [own, ...others] = articles;
    const ownPath = pathOf(own!);
    await read(ownPath);
    const cachedArticle = app.built.cache.pageAtAddress(ownPath)?.page;
    expect(cachedArticle).toBeDefined();
    // The page has an empty slot naming the article, and no list of its own.
    const page = await app.html(ownPath);
    expect(page).toContain(`data-most-read="${own!.id}"`);
    expect(page).not.toContain('class="most-read"');

    // Seven read, in a known order; the article itself the most read.
    for (const [i, article] of articles.entries()) {
      for (let n = 0; n < 20 - i * 2; n++) await read(pathOf(article));
    }
    const fragment = async () => {
      const html = await app.html("/fragments/most-read");
      return [...html.matchAll(/<li data-article-id="([^"]+)">/g)].map((m) => m[1]);
    };
    const stale = await fragment();
    expect(await app.built.rounds.checkMostRead()).toBe(true);
    // One more than is shown, so that a full list is left under each of them once it is left out.
    const listed = await fragment();
    expect(listed).not.toEqual(stale);
    expect(listed).toEqual(articles.slice(0, content.MOST_READ_SHOWN + 1).map((a) => a.id));
    expect(await app.html("/fragments/most-read")).toContain('data-shown="5"');
    // The article pages were not dropped: the cached copy is the one from before the round.
    expect(app.built.cache.pageAtAddress(ownPath)?.page).toBe(cachedArticle);
    await read(ownPath);
    expect(app.built.cache.pageAtAddress(ownPath)?.page).toBe(cachedArticle);

    // Another article overtakes: the next round drops the fragment, and only the fragment.
    const last = others.at(-1)!;
    for (let n = 0; n < 40; n++) await read(pathOf(last));
    expect(await app.built.rounds.checkMostRead()).toBe(true);
    expect((await fragment())[0]).toBe(last.id);
    expect(app.built.cache.pageAtAddress(ownPath)?.page).toBe(cachedArticle);
  });
  test("the round deletes hourly counts older than the figures read, by the app's clock", async () => {
    const old = await app.make.article({ title: "Old news kept only as a count" });
    await read(pathOf(old));
    await app.built.readCounts.flush();
    const rowsOf = async (id: string) =>
      (await queryRows<{ hour: string }>(app.db, sql`SELECT hour::text FROM article_reads WHERE article_id = ${id}`))
        .length;
    expect(await rowsOf(old.id)).toBe(1);
    // A day short of the limit: kept.
    clock.advance((content.READS_KEPT_DAYS - 1) * 24 * 3_600_000);
    const recent = await app.make.article({ title: "Fresh count" });
    await read(pathOf(recent));
    await app.built.readCounts.flush();
    await app.built.rounds.prune();
    expect(await rowsOf(old.id)).toBe(1);
    // Past it: the old hour goes, the recent one stays.
    clock.advance(2 * 24 * 3_600_000);
    await app.built.rounds.prune();
    expect(await rowsOf(old.id)).toBe(0);
    expect(await rowsOf(recent.id)).toBe(1);
  });
});
