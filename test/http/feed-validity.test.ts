/**
 * Feeds as readers find and check them: every page advertises its feeds; every feed keeps the rules the W3C
 * feed validator applies (required elements, absolute addresses, enclosure lengths that are the files' sizes,
 * no empty author), and names the WebSub hub when one is configured.
 */
import { sql } from "drizzle-orm";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;
// On loopback: nothing answers there, and no test may reach beyond this machine.
const HUB = "http://127.0.0.1:9/hub";
/** The address the paper's links name; requests go to the test server. */
const SITE = "http://news.example.test";

beforeAll(async () => {
  app = await startApp({ template: "demo", env: { WEBSUB_HUB_URL: HUB, PUBLIC_URL: SITE } });
});
afterAll(async () => app.close());

type Attrs = Record<string, string>;
type Node = Record<string, unknown>;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "text",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name, jpath) =>
    ["item", "entry", "author", "dc:creator", "category", "atom:link"].includes(name) ||
    (name === "link" && String(jpath).startsWith("feed.")),
});
const textOf = (node: unknown): string =>
  typeof node === "object" && node ? String((node as Node).text ?? "") : String(node ?? "");
const isAbsolute = (url: string | undefined) => /^https?:\/\/[^/]/.test(url ?? "");

/** Each `<link rel="alternate">` for a feed in a page's head. */
function alternates(html: string) {
  return [...html.matchAll(/<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)"/g)].map((m) => ({
    type: m[1]!,
    title: m[2]!,
    href: m[3]!,
  }));
}

/** The listing pages the demo paper's front page links to: a section, a tag and an author. */
async function listingPaths(): Promise<string[]> {
  const home = await app.html("/");
  const section = /href="(\/section\/[a-z0-9-]+)"/.exec(home)![1]!;
  const article = /href="(\/(?!section\/|tag\/|author\/)[a-z0-9-]+\/[a-z0-9-]+)"/.exec(home)![1]!;
  const page = await app.html(article);
  const author = /href="(\/author\/[a-z0-9-]+)"/.exec(page)![1]!;
  const tag = /href="(\/tag\/[a-z0-9-]+)"/.exec(page)?.[1] ?? /href="(\/tag\/[a-z0-9-]+)"/.exec(home)![1]!;
  return [section, tag, author];
}

async function expectFeedsAnswer(links: { type: string; href: string }[]) {
  for (const link of links) {
    const res = await app.get(new URL(link.href).pathname);
    expect(res.status, link.href).toBe(200);
    expect(res.headers.get("content-type"), link.href).toBe(`${link.type}; charset=utf-8`);
  }
}

describe("feeds readers find", () => {
  test("the front page advertises the paper's RSS, Atom and JSON Feed with titles, and each answers as its type", async () => {
    const links = alternates(await app.html("/"));
    expect(links).toEqual([
      { type: "application/rss+xml", title: "The Meridian Post (RSS)", href: `${SITE}/feed` },
      { type: "application/atom+xml", title: "The Meridian Post (Atom)", href: `${SITE}/feed/atom` },
      { type: "application/feed+json", title: "The Meridian Post (JSON Feed)", href: `${SITE}/feed/json` },
    ]);
    await expectFeedsAnswer(links);
  });

  test("section, tag and author pages advertise their own three feeds first, then the paper's", async () => {
    for (const path of await listingPaths()) {
      const links = alternates(await app.html(path));
      expect(
        links.map((l) => l.href),
        path,
      ).toEqual([
        `${SITE}${path}/feed`,
        `${SITE}${path}/feed/atom`,
        `${SITE}${path}/feed/json`,
        `${SITE}/feed`,
        `${SITE}/feed/atom`,
        `${SITE}/feed/json`,
      ]);
      expect(links[0]?.title).toMatch(/^.+ — The Meridian Post \(RSS\)$/);
      await expectFeedsAnswer(links.slice(0, 3));
    }
  });
});

/** Checks an RSS 2.0 feed as the validator would; returns its enclosures. */
function checkRss(body: string, where: string): Attrs[] {
  expect(XMLValidator.validate(body), where).toBe(true);
  const { rss } = xml.parse(body) as { rss: Node & { channel: Node & { item?: Node[] } } };
  expect(rss.version).toBe("2.0");
  expect(rss["xmlns:media"], where).toBe("http://search.yahoo.com/mrss/");
  const channel = rss.channel;
  for (const name of ["title", "link", "description"]) expect(textOf(channel[name]), `${where} ${name}`).not.toBe("");
  const links = channel["atom:link"] as Attrs[];
  expect(links.find((l) => l.rel === "self")?.href).toBe(`${SITE}${where}`);
  expect(links.find((l) => l.rel === "hub")?.href, where).toBe(HUB);
  const enclosures: Attrs[] = [];
  for (const item of channel.item ?? []) {
    expect(textOf(item.title), where).not.toBe("");
    expect(isAbsolute(textOf(item.link)), where).toBe(true);
    expect(Number.isNaN(Date.parse(textOf(item.pubDate))), where).toBe(false);
    for (const creator of (item["dc:creator"] as unknown[] | undefined) ?? []) {
      expect(textOf(creator).trim(), `${where}: an empty dc:creator`).not.toBe("");
    }
    const enclosure = item.enclosure as Attrs | undefined;
    const media = item["media:content"] as Attrs | undefined;
    expect(Boolean(enclosure), `${where}: enclosure and media:content together`).toBe(Boolean(media));
    if (!enclosure || !media) continue;
    expect(isAbsolute(enclosure.url)).toBe(true);
    expect(Number(enclosure.length), `${where} ${enclosure.url}`).toBeGreaterThan(0);
    expect(media).toMatchObject({ url: enclosure.url, type: enclosure.type, medium: "image" });
    enclosures.push({ ...enclosure, width: media.width!, height: media.height! });
  }
  return enclosures;
}

/** Checks an Atom 1.0 feed as the validator would. */
function checkAtom(body: string, where: string): void {
  expect(XMLValidator.validate(body), where).toBe(true);
  const { feed } = xml.parse(body) as { feed: Node & { entry?: Node[]; link: Attrs[]; author?: Node[] } };
  for (const name of ["id", "title", "updated"]) expect(textOf(feed[name]), `${where} ${name}`).not.toBe("");
  expect(feed.link.find((l) => l.rel === "self")).toMatchObject({
    href: `${SITE}${where}`,
    type: "application/atom+xml",
  });
  expect(feed.link.find((l) => l.rel === "hub")?.href, where).toBe(HUB);
  // Atom needs an author on the feed or on every entry: the feed has the paper.
  expect(textOf(feed.author?.[0]?.name), where).not.toBe("");
  for (const entry of feed.entry ?? []) {
    for (const name of ["id", "title", "updated"]) expect(textOf(entry[name]), `${where} entry ${name}`).not.toBe("");
    const links = entry.link as Attrs[];
    expect(isAbsolute(links.find((l) => l.rel === "alternate")?.href)).toBe(true);
    for (const author of (entry.author as Node[] | undefined) ?? []) expect(textOf(author.name).trim()).not.toBe("");
    const enclosure = links.find((l) => l.rel === "enclosure");
    if (enclosure) expect(Number(enclosure.length), `${where} ${enclosure.href}`).toBeGreaterThan(0);
  }
}

type JsonFeed = {
  version: string;
  title: string;
  feed_url: string;
  hubs?: { type: string; url: string }[];
  authors?: { name: string }[];
  items: { id: string; url: string; content_html?: string; authors?: { name: string }[] }[];
};

/** Checks a JSON Feed 1.1 as its specification asks. */
function checkJson(body: string, where: string): void {
  const feed = JSON.parse(body) as JsonFeed;
  expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
  expect(feed.title).not.toBe("");
  expect(feed.feed_url).toBe(`${SITE}${where}`);
  expect(feed.hubs).toEqual([{ type: "WebSub", url: HUB }]);
  for (const authors of [feed.authors, ...feed.items.map((i) => i.authors)]) {
    // Omitted rather than empty, and no author without a name.
    if (authors !== undefined) expect(authors.length, where).toBeGreaterThan(0);
    for (const author of authors ?? []) expect(author.name.trim(), where).not.toBe("");
  }
  for (const item of feed.items) {
    expect(item.id).not.toBe("");
    expect(isAbsolute(item.url)).toBe(true);
    expect(item.content_html).toBeTruthy();
  }
}

describe("feeds readers trust", () => {
  test("every feed of the paper and of its listings keeps the validator's rules in all three formats", async () => {
    const bases = ["/feed", ...(await listingPaths()).map((p) => `${p}/feed`)];
    for (const base of bases) {
      checkRss(await app.html(base), base);
      checkAtom(await app.html(`${base}/atom`), `${base}/atom`);
      checkJson(await app.html(`${base}/json`), `${base}/json`);
    }
  });

  test("an enclosure's length is its file's size in bytes, and media:content gives its real type, width and height", async () => {
    const enclosures = checkRss(await app.html("/feed"), "/feed");
    expect(enclosures.length).toBeGreaterThan(10);
    for (const enclosure of enclosures) {
      const res = await app.get(new URL(enclosure.url!).pathname);
      expect(res.status, enclosure.url).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(Number(enclosure.length), enclosure.url).toBe(bytes.length);
      expect(res.headers.get("content-type"), enclosure.url).toBe(enclosure.type);
      const info = await sharp(bytes).metadata();
      expect([info.width, info.height], enclosure.url).toEqual([Number(enclosure.width), Number(enclosure.height)]);
    }
  });

  test("an article whose byline has no author gives no empty author in any format", async () => {
    const article = await app.make.article({ title: "Unsigned editorial on the harbour", status: "draft" });
    await app.db.execute(sql`DELETE FROM article_authors WHERE article_id = ${article.id}`);
    await app.publish(article.id);
    for (const base of ["/feed", `/section/${article.section.slug}/feed`]) {
      const rss = await app.html(base);
      expect(rss).toContain("Unsigned editorial on the harbour");
      checkRss(rss, base);
      checkAtom(await app.html(`${base}/atom`), `${base}/atom`);
      const json = await app.html(`${base}/json`);
      checkJson(json, `${base}/json`);
      const item = (JSON.parse(json) as JsonFeed).items.find((i) => i.url.endsWith(article.slug));
      expect(item && "authors" in item).toBe(false);
    }
  });
});

describe("without a hub", () => {
  test("feeds name none", async () => {
    const plain = await startApp({ template: "demo" });
    try {
      for (const path of ["/feed", "/feed/atom", "/feed/json"]) {
        const body = await plain.html(path);
        expect(body, path).not.toContain('rel="hub"');
        expect(body, path).not.toContain('"hubs"');
      }
    } finally {
      await plain.close();
    }
  });
});
