/** The sitemap index and its sitemaps, the Google News sitemap and robots.txt, over a real port. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import type { ArticleSpec } from "../support/make.js";

type UrlEntry = {
  loc: string;
  lastmod?: string;
  "news:news"?: {
    "news:publication": { "news:name": string; "news:language": string };
    "news:publication_date": string;
    "news:title": string;
  };
};
type Urlset = { urlset: { url?: UrlEntry[] } };
type SitemapIndex = { sitemapindex: { sitemap: { loc: string; lastmod?: string }[] } };

const HOUR = 3_600_000;
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === "url" || name === "sitemap" });
let app: TestApp;

beforeAll(async () => {
  app = await startApp({ template: "demo" });
});
afterAll(async () => app.close());

async function readXml<T>(path: string): Promise<T> {
  const res = await app.get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  const body = await res.text();
  expect(XMLValidator.validate(body), path).toBe(true);
  return xml.parse(body) as T;
}

const urls = async (path: string) => (await readXml<Urlset>(path)).urlset.url ?? [];
const pathOf = (loc: string) => new URL(loc).pathname;

/** Made and published the way the newsroom does it (backdated when `publishedAt` is given), refreshing the cache. */
async function publish(spec: ArticleSpec) {
  const article = await app.make.article({ ...spec, status: "draft" });
  const at = spec.publishedAt ? { at: spec.publishedAt } : {};
  const { invalidates } = await content.publishArticle(
    { db: app.db, clock: app.built.clock },
    { id: article.id, ...at },
  );
  await app.built.invalidator.invalidate(invalidates);
  return { ...article, path: `/${article.section.slug}/${article.slug}` };
}

describe("sitemaps", () => {
  test("the index lists the article, section, tag, author and page sitemaps, each a valid urlset with lastmod", async () => {
    const index = await readXml<SitemapIndex>("/sitemap.xml");
    const locs = index.sitemapindex.sitemap.map((s) => s.loc);
    expect(locs.map(pathOf)).toEqual([
      "/sitemap-articles-1.xml",
      "/sitemap-sections.xml",
      "/sitemap-tags.xml",
      "/sitemap-authors.xml",
      "/sitemap-pages.xml",
    ]);
    for (const sitemap of index.sitemapindex.sitemap) {
      expect(sitemap.loc).toMatch(/^http:\/\//);
      expect(Number.isNaN(Date.parse(sitemap.lastmod ?? ""))).toBe(false);
      const entries = await urls(pathOf(sitemap.loc));
      expect(entries.length, sitemap.loc).toBeGreaterThan(0);
      for (const entry of entries) {
        expect(entry.loc).toMatch(/^http:\/\//);
        expect(Number.isNaN(Date.parse(entry.lastmod ?? ""))).toBe(false);
      }
    }
  });

  test("the article sitemap lists published articles with their update time, and no drafts", async () => {
    const published = await publish({ title: "Tram line opens" });
    const draft = await app.make.article({ status: "draft", title: "Tram line delayed" });
    const entries = await urls("/sitemap-articles-1.xml");
    const entry = entries.find((e) => pathOf(e.loc) === published.path);
    expect(entry?.lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(entries.some((e) => pathOf(e.loc).endsWith(`/${draft.slug}`))).toBe(false);
  });

  test("the listing sitemaps name sections, tags and authors with articles, and the front and static pages", async () => {
    const section = await app.make.section({ name: "Islands desk" });
    const author = await app.make.author({ name: "Petra Holm" });
    const quiet = await app.make.author({ name: "Never Wrote" });
    await publish({ section, author, title: "Ferry to Ostra resumes", tags: ["Island ferries"] });
    const paths = async (listing: string) => (await urls(`/sitemap-${listing}.xml`)).map((e) => pathOf(e.loc));
    expect(await paths("sections")).toContain(`/section/${section.slug}`);
    expect(await paths("tags")).toContain("/tag/island-ferries");
    expect(await paths("authors")).toContain(`/author/${author.slug}`);
    expect(await paths("authors")).not.toContain(`/author/${quiet.slug}`);
    expect(await paths("pages")).toEqual(expect.arrayContaining(["/", "/about"]));
  });

  test("the news sitemap lists only articles published in the last 48 hours, with the publication and title", async () => {
    const fresh = await publish({ title: "Budget vote tonight", publishedAt: new Date(Date.now() - HOUR) });
    const stale = await publish({ title: "Budget talks begin", publishedAt: new Date(Date.now() - 72 * HOUR) });
    const res = await app.get("/sitemap-news.xml");
    expect(await res.text()).toContain('xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"');
    const entries = await urls("/sitemap-news.xml");
    const paths = entries.map((e) => pathOf(e.loc));
    expect(paths).toContain(fresh.path);
    expect(paths).not.toContain(stale.path);
    for (const entry of entries) {
      const news = entry["news:news"]!;
      expect(news["news:publication"]).toEqual({ "news:name": "The Meridian Post", "news:language": "en" });
      expect(Date.now() - Date.parse(news["news:publication_date"])).toBeLessThanOrEqual(48 * HOUR);
      expect(news["news:title"]).toBeTruthy();
    }
    expect(entries.find((e) => pathOf(e.loc) === fresh.path)?.["news:news"]?.["news:title"]).toBe(
      "Budget vote tonight",
    );
  });

  test("a title with markup characters is escaped in the news sitemap", async () => {
    const article = await publish({ title: 'Q&A: why "<5%" matters' });
    const body = await (await app.get("/sitemap-news.xml")).text();
    // The headline is typeset when saved (curly quotes); & and < are escaped as XML needs.
    expect(body).toContain("<news:title>Q&amp;A: why “&lt;5%” matters</news:title>");
    const entries = await urls("/sitemap-news.xml");
    expect(entries.find((e) => pathOf(e.loc) === article.path)?.["news:news"]?.["news:title"]).toBe(
      "Q&A: why “<5%” matters",
    );
  });

  test("publishing refreshes the cached article sitemap, and an unchanged one answers 304", async () => {
    const first = await app.get("/sitemap-articles-1.xml");
    const etag = first.headers.get("etag")!;
    expect((await app.get("/sitemap-articles-1.xml", { headers: { "if-none-match": etag } })).status).toBe(304);
    const modified = first.headers.get("last-modified")!;
    expect((await app.get("/sitemap-articles-1.xml", { headers: { "if-modified-since": modified } })).status).toBe(304);
    const article = await publish({ title: "Night buses return" });
    const refreshed = await app.get("/sitemap-articles-1.xml", { headers: { "if-none-match": etag } });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.text()).toContain(article.path);
  });

  test("article sitemap pages that do not exist are 404s", async () => {
    for (const path of [
      "/sitemap-articles-0.xml",
      "/sitemap-articles-abc.xml",
      "/sitemap-articles-99.xml",
      "/sitemap-articles-01.xml",
      "/sitemap-articles-99999999999.xml",
    ]) {
      expect((await app.get(path)).status, path).toBe(404);
    }
  });
});

describe("robots.txt", () => {
  test("allows the site, keeps crawlers out of accounts, the newsroom, the APIs and search results, and lists both sitemaps", async () => {
    const res = await app.get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const lines = (await res.text()).split("\n");
    expect(lines[0]).toBe("User-agent: *");
    expect(lines).toEqual(
      expect.arrayContaining([
        "Disallow: /admin$",
        "Disallow: /admin/",
        "Disallow: /account$",
        "Disallow: /account/",
        "Disallow: /signin$",
        "Disallow: /ghost/",
        "Disallow: /search?",
        "Allow: /",
        expect.stringMatching(/^Sitemap: http:\/\/[^/]+\/sitemap\.xml$/),
        expect.stringMatching(/^Sitemap: http:\/\/[^/]+\/sitemap-news\.xml$/),
      ]),
    );
    expect(lines).not.toContain("Disallow: /");
  });
});
