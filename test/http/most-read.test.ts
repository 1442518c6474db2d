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
});
