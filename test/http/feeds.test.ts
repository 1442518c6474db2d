/** RSS, Atom and JSON Feed for the paper and for each section, tag and author: content, paywall, caching. */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import Parser from "rss-parser";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import type { ArticleSpec } from "../support/make.js";

type XmlCategory = string | { _?: string; $?: Record<string, string> };
type ParsedItem = Parser.Item & { id?: string; categories?: XmlCategory[]; atomCategories?: XmlCategory[] };
type JsonFeed = {
  version: string;
  title: string;
  language: string;
  feed_url: string;
  items: {
    id: string;
    url: string;
    title: string;
    summary?: string;
    content_html: string;
    image?: string;
    date_published: string;
    date_modified: string;
    authors: { name: string; url: string }[];
    tags: string[];
  }[];
};

let app: TestApp;
const rssParser = new Parser<object, ParsedItem>();
// rss-parser keeps Atom categories only when asked to.
const atomParser = new Parser<object, ParsedItem>({
  customFields: { item: [["category", "atomCategories", { keepArray: true }]] },
});

beforeAll(async () => {
  app = await startApp({ template: "demo" });
});
afterAll(async () => app.close());

async function text(path: string, contentType: string): Promise<string> {
  const res = await app.get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type")).toBe(contentType);
  return res.text();
}

/** The same feed in its three formats, parsed. */
async function readFeeds(basePath: string) {
  const [rssText, atomText, jsonText] = await Promise.all([
    text(basePath, "application/rss+xml; charset=utf-8"),
    text(`${basePath}/atom`, "application/atom+xml; charset=utf-8"),
    text(`${basePath}/json`, "application/feed+json; charset=utf-8"),
  ]);
  return {
    raw: [rssText, atomText, jsonText],
    rss: await rssParser.parseString(rssText),
    atom: await atomParser.parseString(atomText),
    json: JSON.parse(jsonText) as JsonFeed,
  };
}

/** Made and published the way the newsroom does it, so the cached feeds are refreshed. */
async function publish(spec: ArticleSpec) {
  const article = await app.make.article({ ...spec, status: "draft" });
  await app.publish(article.id);
  return article;
}

const names = (categories: XmlCategory[] | undefined) =>
  (categories ?? []).map((c) => (typeof c === "string" ? c : (c._ ?? c.$?.label)));

describe("the paper's feed", () => {
  test("is RSS 2.0, Atom and JSON Feed 1.1 with the paper's title, language, self links and the newest 30 articles", async () => {
    const { raw, rss, atom, json } = await readFeeds("/feed");
    expect(rss.title).toBe("The Meridian Post");
    expect(raw[0]).toContain("<language>en</language>");
    expect(raw[0]).toMatch(/<atom:link href="http:\/\/[^"]+\/feed" rel="self" type="application\/rss\+xml"\/>/);
    expect(atom.title).toBe("The Meridian Post");
    expect(atom.feedUrl).toMatch(/\/feed\/atom$/);
    expect(json.version).toBe("https://jsonfeed.org/version/1.1");
    expect(json.language).toBe("en");
    expect(json.feed_url).toMatch(/\/feed\/json$/);
    for (const items of [rss.items, atom.items, json.items]) expect(items).toHaveLength(30);
    const published = json.items.map((i) => Date.parse(i.date_published));
    expect(published).toEqual([...published].sort((a, b) => b - a));
  });

  test("carries a public article's full text, dates, authors, section and tags", async () => {
    const section = await app.make.section({ name: "Harbour desk" });
    const author = await app.make.author({ name: "Ines Albrecht" });
    const article = await publish({
      section,
      author,
      title: "Ferry timetable changes",
      dek: "Winter sailings start early.",
      tags: ["Ferries"],
      paragraphs: ["The first sailing leaves at six.", "The last one returns at ten.", "Fares stay the same."],
      previewAfter: 1,
    });
    const { rss, atom, json } = await readFeeds("/feed");
    const url = `/${section.slug}/${article.slug}`;

    const rssItem = rss.items.find((i) => i.title === "Ferry timetable changes")!;
    expect(rssItem.link).toMatch(new RegExp(`^http://[^/]+${url}$`));
    expect(rssItem["content:encoded" as keyof ParsedItem]).toContain("<p>Fares stay the same.</p>");
    expect(rssItem.creator).toBe("Ines Albrecht");
    expect(names(rssItem.categories)).toEqual(["Harbour desk", "Ferries"]);
    expect(Number.isNaN(Date.parse(rssItem.pubDate!))).toBe(false);

    const atomItem = atom.items.find((i) => i.title === "Ferry timetable changes")!;
    expect(atomItem.content).toContain("<p>The last one returns at ten.</p>");
    expect(atomItem.summary).toBe("Winter sailings start early.");
    expect(names(atomItem.atomCategories)).toEqual(["Harbour desk", "Ferries"]);

    const jsonItem = json.items.find((i) => i.title === "Ferry timetable changes")!;
    expect(jsonItem.content_html).toContain("<p>Fares stay the same.</p>");
    expect(jsonItem.summary).toBe("Winter sailings start early.");
    expect(jsonItem.authors).toEqual([
      { name: "Ines Albrecht", url: expect.stringMatching(`/author/${author.slug}$`) },
    ]);
    expect(jsonItem.tags).toEqual(["Harbour desk", "Ferries"]);
    expect(Date.parse(jsonItem.date_modified)).toBeGreaterThanOrEqual(Date.parse(jsonItem.date_published));
  });

  test("gives feature images as absolute enclosures with their media type", async () => {
    const { rss, atom, raw, json } = await readFeeds("/feed");
    const withImage = rss.items.find((i) => i.enclosure);
    expect(withImage?.enclosure).toMatchObject({
      url: expect.stringMatching(/^http:\/\/.+\.webp$/),
      type: "image/webp",
    });
    expect(atom.items.length).toBeGreaterThan(0);
    expect(raw[1]).toMatch(/<link rel="enclosure" href="http:\/\/[^"]+\.webp" type="image\/webp" length="\d+"\/>/);
    expect(json.items.find((i) => i.image)?.image).toMatch(/^http:\/\/.+\.webp$/);
  });

  test("a paid article shows its dek, its preview and a link to read on, and no gated sentence, in every format", async () => {
    const secret = "The auditor's draft names three suppliers.";
    const article = await publish({
      title: "Port contracts under review",
      dek: "An audit of harbour spending is under way.",
      accessLevel: "paid",
      paragraphs: ["Auditors arrived at the port authority on Monday.", secret, "A report is due in spring."],
      previewAfter: 1,
    });
    for (const base of ["/feed", `/section/${article.section.slug}/feed`, `/author/${article.author.slug}/feed`]) {
      const { raw, rss, atom, json } = await readFeeds(base);
      for (const body of raw) {
        expect(body).not.toContain("three suppliers");
        expect(body).not.toContain("due in spring");
      }
      const bodies = [
        rss.items.find((i) => i.title === article.title)?.["content:encoded" as keyof ParsedItem],
        atom.items.find((i) => i.title === article.title)?.content,
        json.items.find((i) => i.title === article.title)?.content_html,
      ];
      for (const body of bodies) {
        expect(body).toContain("An audit of harbour spending is under way.");
        expect(body).toContain("Auditors arrived at the port authority on Monday.");
        expect(body).toMatch(/for subscribers\. <a href="http:\/\/[^"]+">Continue reading on The Meridian Post<\/a>/);
      }
    }
  });

  test("a tag name with markup characters leaves every format well-formed", async () => {
    const article = await publish({ title: "Lab budget doubles", tags: ['R&D <"beta">'] });
    const { json, atom } = await readFeeds("/tag/r-and-d-beta/feed");
    expect(json.items.map((i) => i.title)).toEqual([article.title]);
    expect(json.items[0]?.tags).toContain('R&D <"beta">');
    expect(atom.items).toHaveLength(1);
  });
});

describe("staff input in feeds", () => {
  const xml = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    textNodeName: "text",
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => ["item", "entry", "author", "dc:creator", "category"].includes(name),
  });
  type Text = string | { text?: string; type?: string };
  type AtomEntry = { id: string; title: Text; summary?: Text; author: { name: Text }[] };
  type RssItem = { guid: Text; title: Text; "dc:creator": Text[] };
  const textOf = (node: Text | undefined) => (typeof node === "object" ? (node.text ?? "") : (node ?? ""));

  test("a headline, dek, byline and section name carrying markup stay text in every feed: escaped, never raw, Atom type text", async () => {
    const markup = "<script>alert(1)</script> ]]> & <b>";
    const section = await app.make.section({ name: `Night desk ${markup}` });
    const author = await app.make.author({ name: `Ada ${markup}` });
    const title = `Harbour closes ${markup}`;
    const dek = `Ferries stop ${markup}`;
    const article = await publish({ section, author, title, dek, tags: ["Night ferries"] });
    const id = `urn:uuid:${article.id}`;
    const bases = ["/feed", `/section/${section.slug}/feed`, "/tag/night-ferries/feed", `/author/${author.slug}/feed`];
    for (const base of bases) {
      const { raw } = await readFeeds(base);
      const [rssText = "", atomText = "", jsonText = ""] = raw;
      for (const [format, body] of Object.entries({ rss: rssText, atom: atomText, json: jsonText })) {
        // The match with its surroundings, so a failure shows where, not the whole feed.
        expect(body.match(/.{0,60}<script.{0,20}/is)?.[0], `${base} ${format}`).toBeUndefined();
      }

      expect(XMLValidator.validate(rssText), `${base} rss`).toBe(true);
      const rss = xml.parse(rssText) as { rss: { channel: { item: RssItem[] } } };
      const rssItem = rss.rss.channel.item.find((i) => textOf(i.guid) === id);
      expect(textOf(rssItem?.title), base).toBe(title);
      expect(rssItem?.["dc:creator"].map(textOf), base).toEqual([author.name]);

      expect(XMLValidator.validate(atomText), `${base} atom`).toBe(true);
      const atom = xml.parse(atomText) as { feed: { title: Text; entry: AtomEntry[] } };
      const titles = [atom.feed.title, ...atom.feed.entry.map((e) => e.title)];
      expect(titles.map((t) => typeof t === "object" && t.type)).toEqual(titles.map(() => "text"));
      const entry = atom.feed.entry.find((e) => e.id === id);
      expect(textOf(entry?.title), base).toBe(title);
      expect(textOf(entry?.summary), base).toBe(dek);
      expect(
        entry?.author.map((a) => textOf(a.name)),
        base,
      ).toEqual([author.name]);

      const json = JSON.parse(jsonText) as JsonFeed;
      const jsonItem = json.items.find((i) => i.id === id);
      expect(jsonItem?.title, base).toBe(title);
      expect(jsonItem?.summary, base).toBe(dek);
      expect(
        jsonItem?.authors.map((a) => a.name),
        base,
      ).toEqual([author.name]);
    }
  });
});

describe("listing feeds", () => {
  test("section, tag and author feeds list only their own articles, under the listing's name", async () => {
    const culture = await app.make.section({ name: "Culture pages" });
    const sport = await app.make.section({ name: "Sport pages" });
    const critic = await app.make.author({ name: "Mara Lindqvist" });
    await publish({ section: culture, author: critic, title: "Opera season opens", tags: ["Stage"] });
    await publish({ section: sport, title: "Derby ends level", tags: ["Football"] });
    await publish({ section: sport, author: critic, title: "A ballet for the stadium", tags: ["Stage"] });

    const titles = async (path: string) => (await readFeeds(path)).json.items.map((i) => i.title).sort();
    expect(await titles(`/section/${culture.slug}/feed`)).toEqual(["Opera season opens"]);
    expect(await titles(`/section/${sport.slug}/feed`)).toEqual(["A ballet for the stadium", "Derby ends level"]);
    expect(await titles("/tag/stage/feed")).toEqual(["A ballet for the stadium", "Opera season opens"]);
    expect(await titles(`/author/${critic.slug}/feed`)).toEqual(["A ballet for the stadium", "Opera season opens"]);

    const { rss, json } = await readFeeds(`/section/${culture.slug}/feed`);
    expect(rss.title).toBe("Culture pages — The Meridian Post");
    expect(json.feed_url).toMatch(new RegExp(`/section/${culture.slug}/feed/json$`));
  });

  test("an unknown or malformed listing in a feed address is a 404", async () => {
    for (const path of [
      "/section/nope/feed",
      "/tag/nope/feed/atom",
      "/author/nope/feed/json",
      "/section/Not_A_Slug/feed",
      `/section/${"a".repeat(190)}/feed`,
      "/feed/xml",
    ]) {
      expect((await app.get(path)).status, path).toBe(404);
    }
  });

  test("a renamed section's feed answers 301 at its old address", async () => {
    const section = await app.make.section({ name: "Weather desk" });
    const { invalidates } = await content.changeSlug(
      { db: app.db, clock: app.built.clock },
      { owner: "section", id: section.id, slug: "forecasts" },
    );
    await app.built.invalidator.invalidate(invalidates);
    const res = await app.get(`/section/${section.slug}/feed/atom`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/section/forecasts/feed/atom");
  });
});

describe("feed caching", () => {
  test("a feed answers 304 to If-None-Match and to If-Modified-Since", async () => {
    const first = await app.get("/feed/atom");
    const etag = first.headers.get("etag")!;
    const lastModified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(Number.isNaN(Date.parse(lastModified))).toBe(false);
    expect((await app.get("/feed/atom", { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await app.get("/feed/atom", { headers: { "if-modified-since": lastModified } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await app.get("/feed/atom", { headers: { "if-modified-since": earlier } })).status).toBe(200);
    expect((await app.get("/feed/atom", { headers: { "if-none-match": '"stale"' } })).status).toBe(200);
  });

  test("publishing an article puts it in the paper's and its section's feeds already in the cache", async () => {
    const section = await app.make.section({ name: "City hall" });
    await publish({ section, title: "Council meets" });
    const draft = await app.make.article({ section, status: "draft", title: "Mayor resigns" });
    const paths = ["/feed", "/feed/json", `/section/${section.slug}/feed/atom`];
    for (const path of paths) expect(await app.html(path)).not.toContain("Mayor resigns");
    const cachedEtag = (await app.get("/feed")).headers.get("etag");
    expect((await app.get("/feed")).headers.get("etag")).toBe(cachedEtag);

    await app.publish(draft.id);

    for (const path of paths) expect(await app.html(path)).toContain("Mayor resigns");
  });
});
