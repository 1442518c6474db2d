/**
 * Load shed on purpose: with a gate full, or the event loop behind, work the cache cannot answer is refused at
 * once with 503 and Retry-After, while cached pages (at the front door and through the routes) and /healthz
 * answer as ever. The database is held by a transaction, so "full" is reached deterministically.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";

/** Holds the tables searches and Content API keys are read from until released (on PGlite: the whole database). */
async function holdDatabase(app: TestApp): Promise<{ release(): Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = app.db.transaction(async (tx) => {
    await tx.execute(sql`LOCK TABLE articles, content_api_keys IN ACCESS EXCLUSIVE MODE`);
    locked();
    await released;
  });
  await isLocked;
  return {
    async release() {
      release();
      await done;
    },
  };
}

/** An article cached by one cookieless read; its address is then answered at the front door. */
async function cachedArticle(app: TestApp): Promise<string> {
  const article = await app.make.article({ title: "Harbour tolls rise" });
  const path = `/${article.section.slug}/${article.slug}`;
  expect((await app.get(path)).status).toBe(200);
  return path;
}

async function expectShedPage(res: Response) {
  const body = await res.text();
  expect(res.status, body.slice(0, 300)).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  expect(res.headers.get("content-type")).toContain("text/html");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(body).toContain("The site is very busy right now");
  // Plain: the stylesheet and a sentence, no frame read for it, no reference to look up in a log.
  expect(body).toMatch(/<link rel="stylesheet" href="\/assets\/site\.[0-9a-f]+\.css"/);
  expect(body).not.toContain('class="masthead"');
  expect(body).not.toContain("Reference");
}

/** Cached answers and the health check: never shed. A cookie sends a read through the routes' own cache lookup. */
async function expectCachedAnswers(app: TestApp, paths: string[]) {
  for (const path of paths) {
    expect((await app.get(path)).status, path).toBe(200);
    expect((await app.get(path, { headers: { cookie: "theme=dark" } })).status, `${path} via the routes`).toBe(200);
  }
  expect((await app.get("/healthz")).status).toBe(200);
}

describe.each(databaseKinds())("load shedding on %s", (kind) => {
  // One app for the file's tests (an app start is seconds of CPU): both gates are small, neither rate-limits, and
  // the lag is switched on by the test about it. Each test searches words of its own, so none finds another's
  // search in the page cache, and each leaves both gates empty.
  let app: TestApp;
  const logs: string[] = [];
  let lagging = false;
  beforeAll(async () => {
    app = await startApp({
      template: "empty",
      database: kind,
      env: {
        SEARCH_CONCURRENCY: "1",
        SEARCH_QUEUE: "1",
        SEARCH_RATE_LIMIT: "0",
        CONTENT_API_CONCURRENCY: "1",
        CONTENT_API_QUEUE: "0",
        CONTENT_API_RATE_LIMIT: "0",
        LOG_LEVEL: "info",
      },
      logStream: { write: (line) => logs.push(line) },
      isLagging: () => lagging,
    });
  });
  afterAll(() => app.close());

  test("with the search gate full, a new search answers 503 at once; cached pages and /healthz answer", async () => {
    const path = await cachedArticle(app);
    expect((await app.get("/search?q=tolls")).status).toBe(200);

    const held = await holdDatabase(app);
    const running = app.get("/search?q=harbour");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ active: 1, queued: 0 });
    const waiting = app.get("/search?q=rise");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ active: 1, queued: 1 });

    // Refused before Fastify routes it, and by the route itself when a cookie sends it there.
    await expectShedPage(await app.get("/search?q=ferry"));
    await expectShedPage(await app.get("/search?q=ferry", { headers: { cookie: "theme=dark" } }));
    await expectCachedAnswers(app, [path, "/search?q=tolls"]);
    // Cached under its normalised query: an address never asked before still gets the cached page.
    expect((await app.get("/search?q=%20tolls&section=")).status).toBe(200);

    await held.release();
    expect((await running).status).toBe(200);
    expect((await waiting).status).toBe(200);
    expect((await app.get("/search?q=ferry")).status).toBe(200);
    // Shedding is not a failure: no error in the log for it.
    expect(logs.filter((line) => line.includes('"request failed"'))).toEqual([]);
  });

  test("a client that gives up while queued leaves the queue, and its place goes to the next", async () => {
    await app.make.article({ title: "Tram timetable changes" });
    expect((await app.get("/search?q=warm")).status).toBe(200);
    const held = await holdDatabase(app);
    const running = app.get("/search?q=tram");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ active: 1 });
    const gaveUp = new AbortController();
    const abandoned = app.get("/search?q=timetable", { signal: gaveUp.signal }).catch(() => "aborted");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ queued: 1 });
    gaveUp.abort();
    expect(await abandoned).toBe("aborted");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ active: 1, queued: 0 });
    const next = app.get("/search?q=changes");
    await expect.poll(() => app.built.limits.stats().search).toMatchObject({ queued: 1 });
    await held.release();
    expect((await running).status).toBe(200);
    expect((await next).status).toBe(200);
  });

  test("with the Content API's gate full, a new query answers 503 in Ghost's envelope; a cached one answers", async () => {
    await app.make.article({ title: "Canal tolls rise" });
    const { key } = await createContentApiKey(app.db, "shedding test");
    const posts = (limit: number) => `/ghost/api/content/posts/?key=${key}&limit=${limit}`;
    expect((await app.get(posts(1))).status).toBe(200);

    const held = await holdDatabase(app);
    const running = app.get(posts(2));
    await expect.poll(() => app.built.limits.stats()["content-api"]).toMatchObject({ active: 1 });
    const refused = await app.get(posts(3));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    const body = (await refused.json()) as { errors: Record<string, unknown>[] };
    expect(body.errors[0]).toMatchObject({ type: "MaintenanceError", code: "SERVER_BUSY" });
    // Kept in the page cache: answered however full the gate.
    expect((await app.get(posts(1))).status).toBe(200);
    expect((await app.get("/healthz")).status).toBe(200);
    await held.release();
    expect((await running).status).toBe(200);
  });

  test("while the event loop lags, uncached pages and searches answer 503; cached ones answer", async () => {
    const path = await cachedArticle(app);
    const section = await app.make.section({ name: "Ports" });
    expect((await app.get("/search?q=pier")).status).toBe(200);

    lagging = true;
    try {
      await expectShedPage(await app.get("/search?q=quay"));
      await expectShedPage(await app.get(`/section/${section.slug}`));
      await expectCachedAnswers(app, [path, "/search?q=pier"]);
    } finally {
      lagging = false;
    }
    expect((await app.get("/search?q=quay")).status).toBe(200);
    expect((await app.get(`/section/${section.slug}`)).status).toBe(200);
  });
});
