/**
 * RSS 2.0, Atom and JSON Feed 1.1 from one list of articles. A gated article carries its dek, its preview and a
 * link to read on: its gated text goes out only when the paywall would show it to an anonymous reader.
 */
import type { FeedArticle, SiteSettings } from "../content/index.js";
import { decideAccess } from "../paywall/index.js";
import { absoluteUrls, escapeHtml } from "../shared/html.js";
import type { PictureFile } from "../shared/picture-files.js";
import { type FeedEntry, type FeedHead, renderAtom, renderRss } from "./render-feed-xml.js";

export type FeedFormat = "rss" | "atom" | "json";

/** Each format's address after the feed's base path, its media type, and its name for people. */
export const FEED_FORMATS: Record<FeedFormat, { suffix: string; contentType: string; label: string }> = {
  rss: { suffix: "", contentType: "application/rss+xml; charset=utf-8", label: "RSS" },
  atom: { suffix: "/atom", contentType: "application/atom+xml; charset=utf-8", label: "Atom" },
  json: { suffix: "/json", contentType: "application/feed+json; charset=utf-8", label: "JSON Feed" },
};

/** A feed as a page's `<link rel="alternate">` names it. */
export type FeedAlternate = { type: string; href: string; title: string };

/** The three formats of the feed at `feedUrl` (the RSS address, such as `…/section/x/feed`), for a page's head. */
export function feedAlternates(feedUrl: string, title: string): FeedAlternate[] {
  return Object.values(FEED_FORMATS).map((format) => ({
    type: format.contentType.split(";")[0]!,
    href: feedUrl + format.suffix,
    title: `${title} (${format.label})`,
  }));
}

/** What a feed follows: the whole paper (`pagePath` "/") or one section, tag or author's listing. */
export type FeedChannel = { title: string; description: string; pagePath: string; feedPath: string };

export type FeedInput = {
  settings: SiteSettings;
  publicUrl: string;
  channel: FeedChannel;
  articles: FeedArticle[];
  /** Each feature image's file, by its address: an image whose file is unknown goes out without one. */
  pictures: ReadonlyMap<string, PictureFile>;
  /** The WebSub hub the feed names, if any. */
  hubUrl: string | undefined;
  /** Stands in for the newest article's update time when the feed is empty. */
  now: Date;
};

export function renderFeed(input: FeedInput, format: FeedFormat): string {
  const entries = input.articles.map((article) => toEntry(input, article));
  const head = feedHead(input, entries);
  if (format === "json") return renderJsonFeed(head, entries);
  return format === "rss" ? renderRss(head, entries) : renderAtom(head, entries);
}

function absoluteUrl(publicUrl: string, url: string): string {
  return new URL(url, `${publicUrl}/`).href;
}

function toEntry(input: FeedInput, article: FeedArticle): FeedEntry {
  const absolute = (path: string) => absoluteUrl(input.publicUrl, path);
  const url = absolute(article.path);
  const picture = article.image && input.pictures.get(article.image.url);
  return {
    id: `urn:uuid:${article.id}`,
    url,
    title: article.title,
    dek: article.dek,
    // Article bodies link site-relative (`/media/…`); a feed reader has no page to resolve them against.
    html: absoluteUrls(bodyHtml(input.settings, article, url), input.publicUrl),
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    authors: article.authors
      .filter((a) => a.name.trim() !== "")
      .map((a) => ({ name: a.name, url: absolute(`/author/${a.slug}`) })),
    categories: [{ ...article.section, kind: "section" }, ...article.tags.map((t) => ({ ...t, kind: "tag" }))].map(
      (c) => ({ name: c.name, scheme: absolute(`/${c.kind}/`), term: c.slug }),
    ),
    // An enclosure needs its length in bytes and its type: a picture whose file is unknown is left out.
    image: article.image && picture ? { url: absolute(article.image.url), ...picture } : undefined,
    source: article.source ?? undefined,
  };
}

function bodyHtml(settings: SiteSettings, article: FeedArticle, url: string): string {
  const outcome = decideAccess({ kind: "anonymous" }, article);
  if (outcome.kind === "full") return article.previewHtml + article.gatedHtml;
  const audience = outcome.ask === "subscribe" ? "subscribers" : "registered readers";
  return [
    article.dek ? `<p><strong>${escapeHtml(article.dek)}</strong></p>` : "",
    article.previewHtml,
    `<p>The rest of this article is for ${audience}. <a href="${escapeHtml(url)}">Continue reading on ${escapeHtml(settings.title)}</a></p>`,
  ].join("");
}

function feedHead(input: FeedInput, entries: FeedEntry[]): FeedHead {
  const { settings, publicUrl, channel } = input;
  const pageUrl = `${publicUrl}${channel.pagePath}`;
  const feedUrl = `${publicUrl}${channel.feedPath}`;
  const newest = Math.max(...entries.map((e) => e.updatedAt.getTime()));
  return {
    title: channel.title,
    description: channel.description,
    pageUrl,
    feedLinks: {
      rss: feedUrl + FEED_FORMATS.rss.suffix,
      atom: feedUrl + FEED_FORMATS.atom.suffix,
      json: feedUrl + FEED_FORMATS.json.suffix,
    },
    language: settings.language,
    updated: entries.length ? new Date(newest) : input.now,
    logoUrl: settings.logoUrl ? absoluteUrl(publicUrl, settings.logoUrl) : undefined,
    faviconUrl: `${publicUrl}/favicon.svg`,
    author: { name: settings.title, url: `${publicUrl}/` },
    hubUrl: input.hubUrl,
  };
}

// JSON Feed's titles, summaries and names are text, but a reader that shows them as HTML, or a browser that
// sniffs the document, must find no markup in it: "<", ">" and "&" go out as \u escapes, which parse the same.
const JSON_ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026" };

/** JSON Feed 1.1, from the same entries as the XML formats. */
function renderJsonFeed(head: FeedHead, entries: FeedEntry[]): string {
  const json = JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: head.title,
    home_page_url: head.pageUrl,
    feed_url: head.feedLinks.json,
    description: head.description,
    icon: head.logoUrl,
    favicon: head.faviconUrl,
    language: head.language,
    authors: [{ name: head.author.name, url: head.author.url }],
    ...(head.hubUrl ? { hubs: [{ type: "WebSub", url: head.hubUrl }] } : {}),
    items: entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      ...(entry.dek ? { summary: entry.dek } : {}),
      content_html: entry.html,
      image: entry.image?.url,
      date_published: entry.publishedAt.toISOString(),
      date_modified: entry.updatedAt.toISOString(),
      ...(entry.authors.length ? { authors: entry.authors } : {}),
      tags: entry.categories.map((c) => c.name),
      // JSON Feed's page elsewhere for linked copy; its name in an extension, as the format allows.
      ...(entry.source?.url ? { external_url: entry.source.url } : {}),
      ...(entry.source ? { _source: { name: entry.source.name, url: entry.source.url } } : {}),
    })),
  });
  return json.replace(/[<>&]/g, (c) => JSON_ESCAPES[c] ?? c);
}
