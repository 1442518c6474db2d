/**
 * The cache policy on every kind of answer, over a real port: what a browser and a shared cache may keep, what
 * each answer varies on and names as surrogate keys, validators per encoding, and compression of answers the page
 * cache does not make.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { signedInStaff } from "../support/newsroom.js";

let app: TestApp;

beforeAll(async () => {
  app = await startApp({ template: "empty" });
  await app.make.settings();
  await content.updatePaywallSettings(app.db, { anonymousAllowance: 2, registeredAllowance: 3 });
  await app.built.invalidator.invalidate(["site"]);
});
afterAll(async () => app.close());

const keysOf = (res: Response) => (res.headers.get("surrogate-key") ?? "").split(" ");

describe("what a shared cache may keep", () => {
  test("anonymous pages: a day at the edge, half a minute in a browser, varying on Cookie, naming what they show", async () => {
    const article = await app.make.article({ paragraphs: ["A long enough paragraph. ".repeat(60)] });
    const path = `/${article.section.slug}/${article.slug}`;
    for (const [address, key] of [
      [path, `article:${article.id}`],
      ["/", "home"],
      [`/section/${article.section.slug}`, `section:${article.section.id}`],
      [`/author/${article.author.slug}`, `author:${article.author.id}`],
    ] as const) {
      const res = await app.get(address);
      expect(res.status, address).toBe(200);
      expect(res.headers.get("cache-control")).toBe(
        "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400",
      );
      expect(res.headers.get("cdn-cache-control")).toBe(
        "max-age=86400, stale-while-revalidate=60, stale-if-error=604800",
      );
      expect(res.headers.get("surrogate-control")).toBe(res.headers.get("cdn-cache-control"));
      expect(res.headers.get("vary")).toBe("Accept-Encoding, Cookie");
      expect(keysOf(res)).toEqual(expect.arrayContaining(["site", key]));
      expect(res.headers.get("cache-tag")?.split(",")).toEqual(keysOf(res));
    }
  });

  test("feeds and sitemaps: kept at the edge, named by what they list", async () => {
    const article = await app.make.article();
    const feed = await app.get("/feed");
    expect(feed.headers.get("cache-control")).toMatch(/^public, max-age=300\b/);
    expect(feed.headers.get("cdn-cache-control")).toMatch(/^max-age=86400\b/);
    expect(keysOf(feed)).toContain(`article:${article.id}`);
    const sitemap = await app.get("/sitemap.xml");
    expect(sitemap.headers.get("cache-control")).toMatch(/^public, max-age=3600\b/);
    expect(sitemap.headers.get("surrogate-key")).toBeTruthy();
  });

  test("a signed-in reader's page and a metered article are private, stored by no shared cache, name no keys", async () => {
    const staff = await signedInStaff(app, "editor");
    const metered = await app.make.article({
      accessLevel: "registered",
      isMetered: true,
      paragraphs: ["Preview.", "Gated."],
      previewAfter: 1,
    });
    const answers = [
      await app.get("/", { headers: { cookie: staff.cookie } }),
      await app.get(`/${metered.section.slug}/${metered.slug}`),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("cdn-cache-control")).toBe("no-store");
      expect(res.headers.get("surrogate-control")).toBe("no-store");
      expect(res.headers.get("vary")).toBe("Accept-Encoding, Cookie");
      expect(res.headers.get("surrogate-key")).toBeNull();
    }
  });

  test("errors are kept nowhere", async () => {
    const res = await app.get("/search?q=%00");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("cdn-cache-control")).toBe("no-store");
  });
});

describe("validators and compression", () => {
  test("a cached page has an ETag per encoding, and a 304 only for the encoding the client holds", async () => {
    const article = await app.make.article({ paragraphs: ["Words to compress. ".repeat(100)] });
    const path = `/${article.section.slug}/${article.slug}`;
    const tags: Record<string, string> = {};
    for (const encoding of ["br", "gzip", "identity"]) {
      const res = await app.get(path, { headers: { "accept-encoding": encoding } });
      expect(res.headers.get("content-encoding") ?? "identity").toBe(encoding);
      tags[encoding] = res.headers.get("etag") ?? "";
      const again = await app.get(path, { headers: { "accept-encoding": encoding, "if-none-match": tags[encoding] } });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(tags[encoding]);
    }
    expect(new Set(Object.values(tags)).size).toBe(3);
    const otherEncoding = await app.get(path, { headers: { "accept-encoding": "gzip", "if-none-match": tags.br! } });
    expect(otherEncoding.status).toBe(200);
  });

  test("sign-in, subscribe and search pages are compressed, with validators per encoding", async () => {
    await app.make.article({ title: "Harbour dredging resumes" });
    for (const path of ["/signin", "/subscribe", "/search?q=harbour"]) {
      const plain = await app.get(path, { headers: { "accept-encoding": "identity" } });
      const body = await plain.text();
      expect(plain.status, path).toBe(200);
      expect(body.length).toBeGreaterThan(1024);
      for (const encoding of ["br", "gzip"]) {
        const res = await app.get(path, { headers: { "accept-encoding": encoding } });
        expect(res.headers.get("content-encoding"), path).toBe(encoding);
        expect(res.headers.get("vary")).toMatch(/Accept-Encoding/);
        // fetch decodes the body: the same page, sent compressed.
        expect(await res.text()).toBe(body);
        const etag = res.headers.get("etag") ?? "";
        expect(etag).not.toBe(plain.headers.get("etag"));
        const again = await app.get(path, { headers: { "accept-encoding": encoding, "if-none-match": etag } });
        expect(again.status, `${path} ${encoding}`).toBe(304);
      }
    }
  });
});
