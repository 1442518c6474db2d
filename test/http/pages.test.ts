/** Every page type over a real port, with the demo newspaper, and the bad input a public site receives. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LISTING_PAGE_SIZE } from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;
let home: string;
const hrefs = (html: string, pattern: RegExp) =>
  [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!).filter((h) => pattern.test(h));

beforeAll(async () => {
  app = await startApp({ template: "demo" });
  home = await app.html("/");
});
afterAll(async () => app.close());

describe("reader pages", () => {
  test("the front page has the paper's name, sections, a lead story, the latest and an opinion and analysis strip", async () => {
    expect(home).toMatch(/^<!doctype html><html lang="en"/);
    expect(home).toContain("The Meridian Post");
    expect(home).toContain('<nav class="section-nav" aria-label="Sections">');
    expect(home).toContain("teaser-lead");
    expect(home).toContain('id="latest-heading"');
    expect(home).toMatch(/<h2 id="voices-heading"[^>]*>\s*Opinion and analysis/);
    expect(home).toContain('class="voice voice-opinion"');
    expect(home).toContain('class="voice voice-analysis"');
    expect(home).toContain('class="skip-link" href="#main"');
  });

  test("a breaking story is flagged on the front page", () => {
    expect(home).toContain('aria-label="Breaking news"');
  });

  test("a section page lists its articles newest first, a page at a time, with prev/next links", async () => {
    const section = await app.make.section({ name: "Ledger" });
    const author = await app.make.author();
    // One more than a page holds, published a day apart: entry 01 is the oldest and alone on page 2.
    for (let i = 1; i <= LISTING_PAGE_SIZE + 1; i++) {
      const day = String(i).padStart(2, "0");
      const publishedAt = new Date(`2024-03-${day}T08:00:00Z`);
      await app.make.article({ section, author, title: `Ledger entry ${day}`, publishedAt });
    }
    const entries = (html: string) => [...html.matchAll(/>Ledger entry (\d\d)<\/a>/g)].map((m) => Number(m[1]));
    const path = `/section/${section.slug}`;
    const first = await app.html(path);
    expect(first).toContain("<h1>Ledger</h1>");
    expect(entries(first)).toEqual(Array.from({ length: LISTING_PAGE_SIZE }, (_, i) => LISTING_PAGE_SIZE + 1 - i));
    expect(first).toContain(`<a rel="next" href="${path}?page=2">`);
    expect(first).not.toContain('rel="prev"');
    const second = await app.html(`${path}?page=2`);
    expect(entries(second)).toEqual([1]);
    expect(second).toContain(`<a rel="prev" href="${path}">`);
    expect(second).toContain("Page 2 of 2");
    expect(second).not.toContain('rel="next"');
    expect((await app.get(`${path}?page=3`)).status).toBe(400);
  });

  test("an article page has its kind, headline, byline, dates, body, tags, author box, share and follow links", async () => {
    const articlePath = hrefs(home, /^\/(?!section|tag|author)[a-z-]+\/[a-z0-9-]+$/)[0]!;
    const html = await app.html(articlePath);
    expect(html).toContain('<h1 class="article-title">');
    expect(html).toMatch(/By <a href="\/author\/[a-z-]+">/);
    expect(html).toMatch(/Published <time datetime="\d{4}-\d\d-\d\dT/);
    expect(html).toContain("min read");
    expect(html).toContain('class="prose"');
    expect(html).toContain("https://x.com/intent/post?url=");
    expect(html).toContain("https://www.facebook.com/sharer/sharer.php?u=");
    // The paper's accounts are in the footer, not under the author's bio.
    const footer = html.slice(html.indexOf('<footer class="site-footer"'));
    expect(footer).toContain("Follow us");
    expect(
      html.slice(
        html.indexOf('class="author-boxes"'),
        html.indexOf("</section>", html.indexOf('class="author-boxes"')),
      ),
    ).not.toContain("Follow us");
    expect(html).toContain('"@type":"BreadcrumbList"');
    expect(html).toMatch(/<meta property="og:type" content="article"\/?>/);
  });

  test("tag and author pages show their articles", async () => {
    const articlePath = hrefs(home, /^\/(?!section|tag|author)[a-z-]+\/[a-z0-9-]+$/)[0]!;
    const article = await app.html(articlePath);
    const tagPath = hrefs(article, /^\/tag\//)[0]!;
    const authorPath = hrefs(article, /^\/author\//)[0]!;
    expect(await app.html(tagPath)).toContain('class="teaser-title"');
    const author = await app.html(authorPath);
    expect(author).toContain('<p class="kicker">Author</p>');
    expect(author).toContain('class="teaser-title"');
  });

  test("static pages are served at their slug", async () => {
    for (const slug of ["about", "contact", "terms", "privacy"]) {
      const html = await app.html(`/${slug}`);
      expect(html).toContain('class="static-page');
    }
  });

  test("an article asked for under the wrong section redirects to its address", async () => {
    const articlePath = hrefs(home, /^\/(?!section|tag|author|sport\/)[a-z-]+\/[a-z0-9-]+$/)[0]!;
    const slug = articlePath.split("/")[2];
    const res = await app.get(`/sport/${slug}`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(articlePath);
  });
});

describe("caching", () => {
  test("anonymous pages carry an ETag, a short public max-age and answer 304 to If-None-Match", async () => {
    const first = await app.get("/");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    expect(first.headers.get("cache-control")).toBe(
      "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400",
    );
    const again = await app.get("/", { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  test("pages are compressed for clients that accept it", async () => {
    const res = await app.get("/", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.text()).toContain("The Meridian Post");
  });

  test("assets are served under content hashes and kept for a year", async () => {
    const css = /href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(home)?.[1];
    expect(css).toBeDefined();
    const res = await app.get(css!);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await res.text()).toContain("@font-face");
  });
});

describe("bad input", () => {
  test("an unknown address gets the 404 page in the site's design", async () => {
    const res = await app.get("/no-such-page");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("Page not found");
    expect(html).toContain("The Meridian Post");
    expect(res.headers.get("content-type")).toContain("text/html");
    // No dead end: a search form and the newest headlines.
    expect(html).toMatch(/<form class="error-search[^"]*" method="get" action="\/search">/);
    expect(html).toContain('id="error-latest-heading"');
    expect((html.match(/class="headline-title"/g) ?? []).length).toBeGreaterThan(2);
  });

  test.each([
    "/section/politics?page=abc",
    "/section/politics?page=-1",
    "/section/politics?page=0",
    "/section/politics?page=1.5",
  ])("%s is a 400 with a message", async (path) => {
    const res = await app.get(path);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("That request did not work");
  });

  test("a page past the end is a 400 naming the last page", async () => {
    const res = await app.get("/section/politics?page=99999");
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/the last page is \d+/);
  });

  test("very long paths and slugs are 404 or 414, never 500", async () => {
    const longSlug = await app.get(`/politics/${"a".repeat(500)}`);
    expect(longSlug.status).toBe(414);
    // Said plainly, with the site's usual headers, and without echoing the address back.
    expect(await longSlug.text()).toBe("That address is too long.");
    expect(longSlug.headers.get("x-content-type-options")).toBe("nosniff");
    const longPath = await app.get(`/${"segment/".repeat(400)}`);
    expect([404, 414]).toContain(longPath.status);
    const longQuery = await app.get(`/section/politics?q=${"a".repeat(13_000)}`);
    expect(longQuery.status).toBe(414);
    expect(await longQuery.text()).toBe("That address is too long.");
    expect(longQuery.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test.each([
    "/section/%C3%B6rdek",
    "/tag/%E2%82%AC%20money",
    "/%D1%89%D1%83%D0%BA%D0%B0",
    "/politics/caf%C3%A9",
    "/section/%E0%A4%A",
    "/%00",
    "/politics/..%2F..%2Fetc%2Fpasswd",
  ])("the encoded address %s answers cleanly", async (path) => {
    const res = await app.get(path);
    expect([400, 404]).toContain(res.status);
  });

  test("a malformed escape is a 400 said plainly", async () => {
    const res = await app.get("/section/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(await res.text()).toBe("That address is not valid.");
  });

  test("HEAD works wherever GET does", async () => {
    const res = await app.get("/", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  test.each(["POST", "PUT", "DELETE", "PATCH"])("%s on a page is 405 with Allow", async (method) => {
    const res = await app.get("/about", { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });

  test("query strings do not create new cache entries", async () => {
    const before = app.built.cache.stats().entries;
    for (let i = 0; i < 20; i++) await app.get(`/?utm_source=x${i}`);
    expect(app.built.cache.stats().entries).toBe(before);
  });
});

describe("operations", () => {
  test("/healthz and /readyz answer", async () => {
    expect(await (await app.get("/healthz")).json()).toEqual({ status: "ok" });
    expect(await (await app.get("/readyz")).json()).toEqual({ status: "ready" });
  });

  test("security headers are set on pages", async () => {
    const res = await app.get("/");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
  });
});
