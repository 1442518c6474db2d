/**
 * Content API answers kept in the page cache: one per normalised query whatever key asks, dropped by the newsroom's
 * changes like pages, never given to a request with a bad key, sent compressed and as 304s like pages, and never
 * carrying gated text in any form. An answer is told to come from the cache when the database, changed without
 * telling the cache, would give another.
 */
import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import * as content from "../../src/content/index.js";
import { CONTENT_API_KEYS_TAG, createContentApiKey, revokeContentApiKey } from "../../src/ghost-api/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { spawnScript, waitFor } from "../support/processes.js";
import { type GhostTestApp, startGhostApp, unique } from "./ghost-app.js";

const HOUR = 3_600_000;
const SECRET = "Secret sentence about the harbour master's ledger.";

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

describe.each(databaseKinds())("Content API answers from the page cache on %s", (kind) => {
  let ghost: GhostTestApp;
  let editor: StaffAccount;

  beforeAll(async () => {
    ghost = await startGhostApp({ database: kind });
    editor = await signedInStaff(ghost.app, "editor");
  });
  afterAll(async () => ghost.app.close());

  const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR);

  async function titles(path: string, key?: string): Promise<string[]> {
    const res = await ghost.get(path, key === undefined ? {} : { key });
    expect(res.status, path).toBe(200);
    return ((await res.json()) as { posts: { title: string }[] }).posts.map((p) => p.title);
  }

  /** The bytes as sent, undecoded (fetch would decompress them), with the key added. */
  function raw(path: string, headers: Record<string, string> = {}, key = ghost.key): Promise<Raw> {
    const url = new URL(`/ghost/api/content${path}${path.includes("?") ? "&" : "?"}key=${key}`, ghost.app.url);
    return new Promise((resolve, reject) => {
      const req = request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end();
    });
  }

  function decoded(res: Raw): string {
    const coding = res.headers["content-encoding"];
    if (coding === "gzip") return gunzipSync(res.body).toString();
    if (coding === "br") return brotliDecompressSync(res.body).toString();
    expect(coding).toBeUndefined();
    return res.body.toString();
  }

  test("a repeated query is answered from the cache, whatever key asks it and however its options are ordered", async () => {
    const topic = unique("harbour");
    const first = await ghost.article({ tags: [topic], publishedAt: hoursAgo(2) });
    const path = `/posts/?filter=tag:${topic}&include=tags,authors&limit=5`;
    expect(await titles(path)).toEqual([first.title]);

    const second = await ghost.article({ tags: [topic], publishedAt: hoursAgo(1), isAnnounced: false });
    expect(await titles(path)).toEqual([first.title]);
    // A new key, announced as the command line announces it: it moves the keys on, and drops no answer.
    const other = await createContentApiKey(ghost.app.db, "second app");
    await ghost.app.built.invalidator.invalidate([CONTENT_API_KEYS_TAG]);
    expect(await titles(`/posts/?limit=5&include=authors,tags&filter=tag:${topic}`, other.key)).toEqual([first.title]);
    expect(await titles(`/posts/?include=authors,tags,authors&limit=5&filter=tag:${topic}&debug=1`)).toEqual([
      first.title,
    ]);
    // Another limit, another filter spelling or another include is another answer, read afresh.
    expect(await titles(`/posts/?filter=tag:${topic}&include=tags,authors&limit=1`)).toEqual([second.title]);
    expect(await titles(`/posts/?filter=tag:'${topic}'&include=tags,authors&limit=5`)).toEqual([
      second.title,
      first.title,
    ]);
    expect(await titles(`/posts/?filter=tag:${topic}&include=tags&limit=5`)).toEqual([second.title, first.title]);

    await ghost.app.built.invalidator.invalidate(second.invalidates);
    expect(await titles(path)).toEqual([second.title, first.title]);
  });

  test("requests that miss on one query together wait for one read of it; another query is read apart", async () => {
    const topic = unique("ferry");
    await ghost.article({ tags: [topic] });
    const path = `/posts/?filter=tag:${topic}&include=tags`;
    const { db } = ghost.app;
    const execute = db.execute.bind(db);
    let reads = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Each read of this topic's posts is counted, and held until every request below has missed the cache.
    const readSpy = vi.spyOn(db, "execute").mockImplementation(((query: SQL) => {
      if (!new PgDialect().sqlToQuery(query).params.includes(topic)) return execute(query);
      reads++;
      return held.then(() => execute(query));
    }) as typeof db.execute);
    const cache = ghost.app.built.cache;
    const lookups = vi.spyOn(cache, "get");
    const missed = () => lookups.mock.calls.filter(([key]) => key.includes(topic)).length;
    try {
      const answers = [...Array.from({ length: 6 }, () => ghost.get(path)), ghost.get(`${path},authors`)].map(
        async (res) => ({ status: (await res).status, body: await (await res).text() }),
      );
      await expect.poll(missed).toBe(7);
      release();
      const bodies = await Promise.all(answers);
      expect(bodies.map((a) => a.status)).toEqual(Array(7).fill(200));
      expect(new Set(bodies.slice(0, 6).map((a) => a.body)).size).toBe(1);
      expect(reads).toBe(2);
      // A new generation is read again, once.
      await ghost.app.built.invalidator.invalidate(["feeds"]);
      await Promise.all(Array.from({ length: 3 }, () => ghost.get(path)));
      expect(reads).toBe(3);
    } finally {
      readSpy.mockRestore();
      lookups.mockRestore();
    }
  });

  test("publishing, editing and unpublishing in the newsroom drop the list and read answers that show it", async () => {
    const topic = unique("quay");
    const section = await ghost.app.make.section();
    const create = async (title: string) => {
      const res = await api(ghost.app, "POST", "/admin/api/articles", {
        cookie: editor.cookie,
        body: {
          title,
          dek: "",
          kind: "news",
          sectionId: section.id,
          authorIds: [editor.id],
          tagNames: [topic],
          body: paragraphsDoc(["The quay reopens."]),
        },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { article: { id: string; slug: string } }).article;
    };
    const step = async (id: string, action: "publish" | "unpublish") =>
      expect(
        (await api(ghost.app, "POST", `/admin/api/articles/${id}/${action}`, { cookie: editor.cookie, body: {} }))
          .status,
      ).toBe(200);
    const list = `/posts/?filter=tag:${topic}`;
    const tagCount = async () => {
      const res = await ghost.get(`/tags/slug/${topic}/?include=count.posts`);
      return ((await res.json()) as { tags: { count: { posts: number } }[] }).tags[0]?.count.posts;
    };

    const first = await create("Quay wall repaired");
    await step(first.id, "publish");
    const read = `/posts/slug/${first.slug}/`;
    expect(await titles(list)).toEqual(["Quay wall repaired"]);
    expect(await titles(read)).toEqual(["Quay wall repaired"]);
    expect(await tagCount()).toBe(1);

    const second = await create("Ferry timetable changes");
    await step(second.id, "publish");
    expect(await titles(list)).toEqual(["Ferry timetable changes", "Quay wall repaired"]);
    expect(await tagCount()).toBe(2);

    const current = (
      (await (await api(ghost.app, "GET", `/admin/api/articles/${first.id}`, { cookie: editor.cookie })).json()) as {
        article: { version: number; fields: Record<string, unknown> };
      }
    ).article;
    const edited = await api(ghost.app, "PUT", `/admin/api/articles/${first.id}`, {
      cookie: editor.cookie,
      body: { baseVersion: current.version, fields: { ...current.fields, title: "Quay wall repaired at last" } },
    });
    expect(edited.status).toBe(200);
    expect(await titles(list)).toEqual(["Ferry timetable changes", "Quay wall repaired at last"]);
    expect(await titles(read)).toEqual(["Quay wall repaired at last"]);

    await step(first.id, "unpublish");
    expect(await titles(list)).toEqual(["Ferry timetable changes"]);
    expect((await ghost.get(read)).status).toBe(404);
    expect(await tagCount()).toBe(1);
  });

  test("renaming a tag and changing the settings drop the answers that show them", async () => {
    const topic = unique("pier");
    await ghost.article({ tags: [topic] });
    const path = `/posts/?filter=tag:${topic}&include=tags`;
    const tagNames = async () =>
      ((await (await ghost.get(path)).json()) as { posts: { tags: { name: string }[] }[] }).posts[0]!.tags.map(
        (t) => t.name,
      );
    expect(await tagNames()).toContain(topic);
    const [tag] = (await content.listTags(ghost.app.db)).filter((t) => t.slug === topic);
    const renamed = await api(ghost.app, "PUT", `/admin/api/tags/${tag!.id}`, {
      cookie: editor.cookie,
      body: { name: `${topic} renamed` },
    });
    expect(renamed.status).toBe(200);
    expect(await tagNames()).toContain(`${topic} renamed`);

    const title = async () =>
      ((await (await ghost.get("/settings/")).json()) as { settings: { title: string } }).settings.title;
    const before = await title();
    const admin = await signedInStaff(ghost.app, "admin");
    const settings = (await (
      await api(ghost.app, "GET", "/admin/api/settings", { cookie: admin.cookie })
    ).json()) as Record<string, unknown>;
    const saved = await api(ghost.app, "PUT", "/admin/api/settings", {
      cookie: admin.cookie,
      body: { ...settings, title: `${before} (renamed)` },
    });
    expect(saved.status).toBe(200);
    expect(await title()).toBe(`${before} (renamed)`);
  });

  test("a wrong, missing or revoked key never gets a kept answer; revocation holds at once", async () => {
    const path = "/posts/?limit=2&fields=title";
    const made = await createContentApiKey(ghost.app.db, "revocable app");
    await ghost.app.built.invalidator.invalidate([CONTENT_API_KEYS_TAG]);
    expect((await ghost.get(path, { key: made.key })).status).toBe(200);
    const kept = await ghost.get(path, { key: made.key });
    expect(kept.status).toBe(200);
    const etag = kept.headers.get("etag")!;
    expect((await ghost.get(path, { key: "0123456789abcdef0123456789" })).status).toBe(401);
    expect((await ghost.get(path, { key: null })).status).toBe(403);
    expect((await ghost.get(path, { key: null, headers: { "if-none-match": etag } })).status).toBe(403);

    await revokeContentApiKey(ghost.app.db, made.id);
    await ghost.app.built.invalidator.invalidate([CONTENT_API_KEYS_TAG]);
    const refused = await ghost.get(path, { key: made.key });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toContain("no-store");
    expect((await ghost.get(path, { key: made.key, headers: { "if-none-match": etag } })).status).toBe(401);
    // The answer itself stays for the keys that may read it.
    expect((await ghost.get(path, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  test.runIf(kind === "postgres")(
    "a key revoked from the command line is refused by the running server as soon as it hears",
    async () => {
      const path = "/posts/?limit=1&fields=title";
      const made = await createContentApiKey(ghost.app.db, "revoked elsewhere");
      await ghost.app.built.invalidator.invalidate([CONTENT_API_KEYS_TAG]);
      expect((await ghost.get(path, { key: made.key })).status).toBe(200);
      expect((await ghost.get(path, { key: made.key })).status).toBe(200);
      const cli = spawnScript("src/main.ts", ["content-api-key:revoke", made.id], {
        DATA_DIR: ghost.app.dataDir,
        DATABASE_URL: ghost.app.databaseUrl!,
        LOG_LEVEL: "silent",
      });
      expect(await cli.exited, cli.output()).toBe(0);
      // The NOTIFY was sent before the command exited; the server hears it a moment later.
      await waitFor(
        "the server to refuse the revoked key",
        async () => {
          return (await ghost.get(path, { key: made.key })).status === 401;
        },
        5_000,
      );
      expect((await ghost.get(path)).status).toBe(200);
    },
    120_000,
  );

  test("answers go out gzip or brotli by the client's weights, with one ETag and 304 for it", async () => {
    const topic = unique("tide");
    for (const hours of [3, 2, 1]) {
      await ghost.article({
        tags: [topic],
        publishedAt: hoursAgo(hours),
        paragraphs: [`Tide tables. ${"Low water at dawn. ".repeat(40)}`],
      });
    }
    const path = `/posts/?filter=tag:${topic}&formats=html,plaintext`;
    const plain = await raw(path, { "accept-encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(plain.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(plain.headers.vary).toBe("Accept-Version, Accept-Encoding");
    expect(plain.headers["cache-control"]).toBe("public, max-age=0");
    expect(plain.headers["access-control-allow-origin"]).toBe("*");
    expect(plain.headers["content-version"]).toBeUndefined();
    const etag = plain.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);

    for (const [accept, coding] of [
      ["br;q=0.5, gzip", "gzip"],
      ["gzip;q=0.4, br;q=0.8", "br"],
      ["gzip, deflate, br", "br"],
      ["br;q=0, *", "gzip"],
      ["br;q=0, gzip;q=0", undefined],
    ] as const) {
      const res = await raw(path, { "accept-encoding": accept, "accept-version": "v5.0" });
      expect(res.headers["content-encoding"], accept).toBe(coding);
      // Each encoding's bytes have a tag of their own.
      expect(res.headers.etag).toBe(coding ? `${etag.slice(0, -1)}-${coding}"` : etag);
      expect(res.headers.vary).toBe("Accept-Version, Accept-Encoding");
      expect(res.headers["content-version"]).toBe("v6.0");
      expect(decoded(res)).toBe(plain.body.toString());
    }

    const gzipTag = `${etag.slice(0, -1)}-gzip"`;
    for (const match of [gzipTag, `W/${gzipTag}`, `"other", ${gzipTag}`]) {
      const current = await raw(path, { "if-none-match": match, "accept-encoding": "gzip" });
      expect(current.status, match).toBe(304);
      expect(current.body.length).toBe(0);
      expect(current.headers.etag).toBe(gzipTag);
    }
    // The identity bytes' tag does not confirm the gzip copy.
    expect((await raw(path, { "if-none-match": etag, "accept-encoding": "gzip" })).status).toBe(200);
    expect((await raw(path, { "if-none-match": '"other"' })).status).toBe(200);
  });

  test("errors are never kept: a missing post, once published, is there on the next request", async () => {
    const deps = { db: ghost.app.db, clock: ghost.app.built.clock };
    const made = await ghost.article({ isAnnounced: false });
    // Taken down and published again without telling the cache: a kept 404 would still be answered.
    await content.unpublishArticle(deps, made.id);
    const missing = await ghost.get(`/posts/slug/${made.slug}/`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toContain("no-store");
    await content.publishArticle(deps, { id: made.id });
    expect(await titles(`/posts/slug/${made.slug}/`)).toEqual([made.title]);
  });

  test("a filter relative to now is read again every time: its answer is never kept", async () => {
    const topic = unique("gull");
    const first = await ghost.article({ tags: [topic], publishedAt: hoursAgo(2) });
    const relative = `/posts/?filter=tag:${topic}%2Bpublished_at:>now-1d`;
    const fixed = `/posts/?filter=tag:${topic}%2Bpublished_at:>'2000-01-01'`;
    expect(await titles(relative)).toEqual([first.title]);
    expect(await titles(fixed)).toEqual([first.title]);

    const second = await ghost.article({ tags: [topic], publishedAt: hoursAgo(1), isAnnounced: false });
    expect(await titles(relative)).toEqual([second.title, first.title]);
    expect(await titles(fixed)).toEqual([first.title]);
  });

  test("gated text is in no answer, kept or fresh, plain, compressed or repeated", async () => {
    const topic = unique("ledger");
    const made = await ghost.article({
      tags: [topic],
      accessLevel: "paid",
      paragraphs: [`Free opening. ${"Context for everyone. ".repeat(60)}`, SECRET],
      previewAfter: 1,
    });
    for (const path of [
      `/posts/?filter=tag:${topic}&formats=html,plaintext&include=tags,authors`,
      `/posts/slug/${made.slug}/?formats=html,plaintext`,
      `/posts/${made.id}/?formats=plaintext,html&fields=html,plaintext,excerpt`,
    ]) {
      for (const accept of ["identity", "gzip", "br", "identity", "gzip", "br"]) {
        const res = await raw(path, { "accept-encoding": accept });
        expect(res.status).toBe(200);
        const body = decoded(res);
        expect(body).toContain("Free opening.");
        expect(body).not.toContain("harbour master");
      }
    }
  });
});

describe("a client making up queries with the public key", () => {
  // Small budgets of its own; started before the test so that a busy machine's slow start is not the test's time.
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({
      template: "empty",
      env: { PAGE_CACHE_MB: "1", CONTENT_API_CACHE_MB: "1", CONTENT_API_RATE_LIMIT: "0" },
    });
  });
  afterAll(() => app?.close());

  test("fills only the Content API's share: a cached article and the address it answers stay", async () => {
    const paragraphs = Array.from({ length: 8 }, (_, i) => `Paragraph ${i} of the council's budget. `.repeat(12));
    const articles = [];
    for (let i = 0; i < 10; i++) articles.push(await app.make.article({ title: `Budget part ${i}`, paragraphs }));
    const path = `/${articles[0]!.section.slug}/${articles[0]!.slug}`;
    await (await app.get(path)).arrayBuffer();
    const cached = app.built.cache.pageAtAddress(path);
    expect(cached).toBeDefined();

    const { key } = await createContentApiKey(app.db, "made-up queries");
    // Well past either budget: in the main one, these answers would have pushed the article out.
    let bytes = 0;
    for (let i = 0; bytes < 2 * 1024 * 1024; i++) {
      const res = await app.get(`/ghost/api/content/posts/?key=${key}&formats=html,plaintext&filter=tag:-made-up-${i}`);
      expect(res.status).toBe(200);
      bytes += (await res.arrayBuffer()).byteLength;
    }
    const { shares } = app.built.cache.stats();
    expect(shares["content-api"]?.bytes).toBeGreaterThan(512 * 1024);
    expect(shares["content-api"]?.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(app.built.cache.pageAtAddress(path)?.page).toBe(cached?.page);
  });
});
