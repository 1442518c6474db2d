/** Scheduled articles go live when due, after downtime on the next start, and exactly once across processes. */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import * as content from "../../src/content/index.js";
import { type Database, openDatabase, queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { copyTemplate, createPostgresDatabase, databaseKinds } from "../support/db.js";
import { makers } from "../support/make.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";

const MINUTE = 60_000;

async function statusOf(db: Database["db"], id: string): Promise<{ status: string; version: number }> {
  const [row] = await queryRows<{ status: string; version: number }>(
    db,
    sql`SELECT status, version FROM articles WHERE id = ${id}`,
  );
  return row!;
}

describe.each(databaseKinds())("scheduling on %s", (kind) => {
  let app: TestApp;
  let editor: StaffAccount;
  const clock = fixedClock(new Date("2031-07-01T06:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    editor = await signedInStaff(app, "editor");
  });
  afterAll(() => app.close());

  test("a scheduled article stays off the site until its time, then goes live on the next run", async () => {
    const article = await app.make.article({ status: "draft", title: `Tide tables ${kind}` });
    const at = new Date(clock.now().getTime() + 5 * MINUTE).toISOString();
    const scheduled = await api(app, "POST", `/admin/api/articles/${article.id}/publish`, {
      cookie: editor.cookie,
      body: { at },
    });
    expect((await scheduled.json()).article.status).toBe("scheduled");
    const listing = `/section/${article.section.slug}`;
    expect(await app.html(listing)).not.toContain("Tide tables");

    clock.advance(4 * MINUTE);
    expect(await app.built.scheduler.publishDue()).toEqual([]);
    expect((await app.get(`/${article.section.slug}/${article.slug}`)).status).toBe(404);

    clock.advance(MINUTE);
    expect(await app.built.scheduler.publishDue()).toEqual([article.id]);
    expect(await app.html(listing)).toContain("Tide tables");
    expect((await app.get(`/${article.section.slug}/${article.slug}`)).status).toBe(200);
    const [row] = await queryRows<{ published_at: Date; first_published_at: Date }>(
      app.db,
      sql`SELECT published_at, first_published_at FROM articles WHERE id = ${article.id}`,
    );
    expect(new Date(row!.published_at).toISOString()).toBe(at);
    expect(new Date(row!.first_published_at).toISOString()).toBe(at);
  });

  test("unpublishing a scheduled article takes it out of the schedule", async () => {
    const article = await app.make.article({ status: "draft" });
    await api(app, "POST", `/admin/api/articles/${article.id}/publish`, {
      cookie: editor.cookie,
      body: { at: new Date(clock.now().getTime() + MINUTE).toISOString() },
    });
    await api(app, "POST", `/admin/api/articles/${article.id}/unpublish`, { cookie: editor.cookie, body: {} });
    clock.advance(2 * MINUTE);
    expect(await app.built.scheduler.publishDue()).toEqual([]);
    expect((await statusOf(app.db, article.id)).status).toBe("draft");
  });

  test("two processes publishing at the same moment publish each due article exactly once", async () => {
    const make = makers({ db: app.db, clock });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { id } = await make.article({ status: "draft" });
      await content.publishArticle({ db: app.db, clock }, { id, at: new Date(clock.now().getTime() + MINUTE) });
      ids.push(id);
    }
    clock.advance(MINUTE);
    // A second process: its own connection pool on PostgreSQL; on PGlite, a second caller on the one connection.
    const other = app.databaseUrl
      ? await openDatabase({ dataDir: app.dataDir, databaseUrl: app.databaseUrl, databasePoolSize: 2 })
      : undefined;
    try {
      const second = other?.database.db ?? app.db;
      const [a, b] = await Promise.all([
        content.publishDueArticles({ db: app.db, clock }),
        content.publishDueArticles({ db: second, clock }),
      ]);
      expect([...a.ids, ...b.ids].sort()).toEqual([...ids].sort());
      for (const id of ids) expect(await statusOf(app.db, id)).toEqual({ status: "published", version: 3 });
    } finally {
      await other?.database.close();
    }
  });
});

// The start-up's catching up is wiring (publishDueArticles, run on both databases above, called as the app starts):
// one database is enough, the last of the run's, PostgreSQL when there is one (its starts are the cheaper).
describe.each(databaseKinds().slice(-1))("catching up after downtime on %s", (kind) => {
  test("an article that fell due while the server was stopped is published on the next start", async () => {
    const clock = fixedClock(new Date("2031-08-01T22:00:00Z"));
    const dataDir = await copyTemplate("empty");
    const postgres = kind === "postgres" ? await createPostgresDatabase() : undefined;
    const config = loadConfig({
      DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      SEED_DEMO: "false",
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    });
    try {
      const first = await buildApp(config, { clock });
      const make = makers({ db: first.database.db, clock });
      const { id } = await make.article({ status: "draft" });
      await content.publishArticle({ db: first.database.db, clock }, { id, at: new Date("2031-08-02T06:00:00Z") });
      await first.app.close();

      clock.set(new Date("2031-08-02T09:30:00Z"));
      const second = await buildApp(config, { clock });
      try {
        expect(await statusOf(second.database.db, id)).toEqual({ status: "published", version: 3 });
        expect(second.notes).toContain("scheduled articles that fell due while stopped, now published: 1");
        expect(await second.scheduler.publishDue()).toEqual([]);
      } finally {
        await second.app.close();
      }
    } finally {
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the running server's scheduler", () => {
  afterEach(() => vi.useRealTimers());

  test("publishes what fell due on its next tick, 15 seconds after the last", async () => {
    // Only intervals are fake, so the scheduler's ticks come when the test says; the server, the database and
    // fetch keep their real timers.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const clock = fixedClock(new Date("2031-09-01T06:00:00Z"));
    // The database is beside the point here: the last of the run's, as above.
    const app = await startApp({ template: "empty", clock, database: databaseKinds().at(-1) });
    try {
      const article = await app.make.article({ status: "draft", title: "Harvest festival moves indoors" });
      await content.publishArticle(
        { db: app.db, clock },
        { id: article.id, at: new Date(clock.now().getTime() + MINUTE) },
      );
      clock.advance(MINUTE);
      const path = `/${article.section.slug}/${article.slug}`;
      await vi.advanceTimersByTimeAsync(14_999);
      expect((await app.get(path)).status).toBe(404);
      await vi.advanceTimersByTimeAsync(1);
      await expect.poll(async () => (await app.get(path)).status).toBe(200);
      expect(await app.html(`/section/${article.section.slug}`)).toContain("Harvest festival moves indoors");
    } finally {
      await app.close();
    }
  });
});
