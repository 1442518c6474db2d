/**
 * RSS 2.0 and Atom 1.0 written by hand: every value is escaped and nothing goes in CDATA. Titles, names and
 * categories are text (Atom `type="text"`); only the body and RSS's description are HTML, escaped as XML again.
 */
import { escapeHtml } from "../shared/html.js";
import { escapeXml } from "./xml.js";

/** The feed itself: what it follows and where its formats live. */
export type FeedHead = {
  title: string;
  description: string;
  pageUrl: string;
  feedLinks: { rss: string; atom: string; json: string };
  language: string;
  updated: Date;
  logoUrl: string | undefined;
  faviconUrl: string;
  /** Atom needs an author for the feed or for every entry: the paper itself. */
  author: { name: string; url: string };
  /** The WebSub hub readers may subscribe at for this feed. */
  hubUrl: string | undefined;
};

/** One article, already in the shape every format takes it from. */
export type FeedEntry = {
  id: string;
  url: string;
  title: string;
  dek: string;
  /** Rendered from the allow-listed document schema, with the paywall's choice of body. */
  html: string;
  publishedAt: Date;
  updatedAt: Date;
  authors: { name: string; url: string }[];
  /** The section, then the tags; `scheme` is the address of the listings the `term` (a slug) belongs to. */
  categories: { name: string; scheme: string; term: string }[];
  /** The feature image, with its file's real size in bytes and pixels. */
  image: { url: string; contentType: string; bytes: number; width: number; height: number } | undefined;
  /** Syndicated or agency copy: who it comes from, and their page for it. */
  source: { name: string; url: string | null } | undefined;
};

type Attributes = Record<string, string>;

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

function attributes(list: Attributes): string {
  return Object.entries(list)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
}

/** An element holding text, escaped. */
function text(name: string, value: string, list: Attributes = {}): string {
  return `<${name}${attributes(list)}>${escapeXml(value)}</${name}>`;
}

/** An element holding elements made by these functions, or none. */
function element(name: string, list: Attributes, children: string[] = []): string {
  if (children.length === 0) return `<${name}${attributes(list)}/>`;
  return `<${name}${attributes(list)}>\n${children.join("\n")}\n</${name}>`;
}

export function renderRss(head: FeedHead, entries: FeedEntry[]): string {
  const channel = [
    text("title", head.title),
    text("link", head.pageUrl),
    text("description", head.description),
    text("lastBuildDate", head.updated.toUTCString()),
    text("docs", "https://validator.w3.org/feed/docs/rss2.html"),
    text("generator", "Broadsheet"),
    text("language", head.language),
    ...(head.logoUrl
      ? [element("image", {}, [text("title", head.title), text("url", head.logoUrl), text("link", head.pageUrl)])]
      : []),
    element("atom:link", { href: head.feedLinks.rss, rel: "self", type: "application/rss+xml" }),
    ...(head.hubUrl ? [element("atom:link", { href: head.hubUrl, rel: "hub" })] : []),
    ...entries.map(rssItem),
  ];
  const namespaces = {
    version: "2.0",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:media": "http://search.yahoo.com/mrss/",
  };
  return `${DECLARATION}${element("rss", namespaces, [element("channel", {}, channel)])}\n`;
}

function rssItem(entry: FeedEntry): string {
  return element("item", {}, [
    text("title", entry.title),
    text("link", entry.url),
    text("guid", entry.id, { isPermaLink: "false" }),
    text("pubDate", entry.publishedAt.toUTCString()),
    // RSS's description is HTML: the dek is escaped as HTML, then as XML.
    ...(entry.dek ? [text("description", escapeHtml(entry.dek))] : []),
    text("content:encoded", entry.html),
    // RSS's own <author> takes an email address; names go in Dublin Core.
    ...entry.authors.map((a) => text("dc:creator", a.name)),
    ...entry.categories.map((c) => text("category", c.name, { domain: c.scheme })),
    ...(entry.image ? rssImage(entry.image) : []),
    // RSS's <source> must name an address; a source without one goes in Dublin Core.
    ...(entry.source
      ? [
          entry.source.url
            ? text("source", entry.source.name, { url: entry.source.url })
            : text("dc:source", entry.source.name),
        ]
      : []),
  ]);
}

/** The picture as an enclosure, and as Media RSS, which readers use for its pixel size. */
function rssImage(image: NonNullable<FeedEntry["image"]>): string[] {
  const { url, contentType: type } = image;
  return [
    element("enclosure", { url, length: String(image.bytes), type }),
    element("media:content", {
      url,
      type,
      medium: "image",
      width: String(image.width),
      height: String(image.height),
      fileSize: String(image.bytes),
    }),
  ];
}

export function renderAtom(head: FeedHead, entries: FeedEntry[]): string {
  const feed = [
    text("id", head.pageUrl),
    text("title", head.title, { type: "text" }),
    ...(head.description ? [text("subtitle", head.description, { type: "text" })] : []),
    text("updated", head.updated.toISOString()),
    text("generator", "Broadsheet"),
    atomPerson("author", head.author),
    element("link", { rel: "alternate", href: head.pageUrl }),
    element("link", { rel: "self", type: "application/atom+xml", href: head.feedLinks.atom }),
    ...(head.hubUrl ? [element("link", { rel: "hub", href: head.hubUrl })] : []),
    ...(head.logoUrl ? [text("logo", head.logoUrl)] : []),
    text("icon", head.faviconUrl),
    ...entries.map(atomEntry),
  ];
  return `${DECLARATION}${element("feed", { xmlns: "http://www.w3.org/2005/Atom", "xml:lang": head.language }, feed)}\n`;
}

function atomEntry(entry: FeedEntry): string {
  return element("entry", {}, [
    text("title", entry.title, { type: "text" }),
    text("id", entry.id),
    element("link", { rel: "alternate", href: entry.url }),
    ...(entry.image
      ? [
          element("link", {
            rel: "enclosure",
            href: entry.image.url,
            type: entry.image.contentType,
            length: String(entry.image.bytes),
          }),
        ]
      : []),
    text("published", entry.publishedAt.toISOString()),
    text("updated", entry.updatedAt.toISOString()),
    ...(entry.dek ? [text("summary", entry.dek, { type: "text" })] : []),
    text("content", entry.html, { type: "html" }),
    ...entry.authors.map((a) => atomPerson("author", a)),
    ...entry.categories.map((c) => element("category", { term: c.term, scheme: c.scheme, label: c.name })),
    ...(entry.source
      ? [
          element("contributor", {}, [
            text("name", entry.source.name),
            ...(entry.source.url ? [text("uri", entry.source.url)] : []),
          ]),
        ]
      : []),
  ]);
}

function atomPerson(name: string, person: { name: string; url: string }): string {
  return element(name, {}, [text("name", person.name), text("uri", person.url)]);
}
