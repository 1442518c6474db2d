/**
 * RSS 2.0, Atom and JSON Feed 1.1 from one list of articles. A gated article carries its dek, its preview and a
 * link to read on: its gated text goes out only when the paywall would show it to an anonymous reader.
 */
import { Feed, type FeedOptions, type Item } from "feed";
import type { FeedArticle, SiteSettings } from "../content/index.js";
import { decideAccess } from "../paywall/index.js";
import { absoluteUrls, escapeHtml } from "../shared/html.js";
import { removeInvalidXmlChars } from "./xml.js";

export type FeedFormat = "rss" | "atom" | "json";

/** Each format's address after the feed's base path, and its media type. */
export const FEED_FORMATS: Record<FeedFormat, { suffix: string; contentType: string }> = {
  rss: { suffix: "", contentType: "application/rss+xml; charset=utf-8" },
  atom: { suffix: "/atom", contentType: "application/atom+xml; charset=utf-8" },
  json: { suffix: "/json", contentType: "application/feed+json; charset=utf-8" },
};

/** What a feed follows: the whole paper (`pagePath` "/") or one section, tag or author's listing. */
export type FeedChannel = { title: string; description: string; pagePath: string; feedPath: string };

export type FeedInput = {
  settings: SiteSettings;
  publicUrl: string;
  channel: FeedChannel;
  articles: FeedArticle[];
  /** Stands in for the newest article's update time when the feed is empty. */
  now: Date;
};

/** One article, already in the shape every format takes it from. */
type FeedEntry = {
  id: string;
  url: string;
  title: string;
  dek: string;
  html: string;
  publishedAt: Date;
  updatedAt: Date;
  authors: { name: string; url: string }[];
  /** The section, then the tags; `scheme` is the address of the listings the `term` (a slug) belongs to. */
  categories: { name: string; scheme: string; term: string }[];
  image: { url: string; type: string } | undefined;
};

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
};

export function renderFeed(input: FeedInput, format: FeedFormat): string {
  const entries = input.articles.map((article) => toEntry(input, article));
  const options = feedOptions(input, entries);
  if (format === "json") return renderJsonFeed(options, entries);
  const feed = new Feed(options);
  for (const entry of entries) feed.addItem(toItem(entry));
  return removeInvalidXmlChars(format === "rss" ? feed.rss2() : feed.atom1());
}

function absoluteUrl(publicUrl: string, url: string): string {
  return new URL(url, `${publicUrl}/`).href;
}

function toEntry(input: FeedInput, article: FeedArticle): FeedEntry {
  const absolute = (path: string) => absoluteUrl(input.publicUrl, path);
  const url = absolute(article.path);
  const imageUrl = article.image && absolute(article.image.url);
  const imageType = imageUrl && IMAGE_TYPES[new URL(imageUrl).pathname.split(".").pop()?.toLowerCase() ?? ""];
  return {
    id: `urn:uuid:${article.id}`,
    url,
    title: article.title,
    dek: article.dek,
    // Article bodies link site-relative (`/media/…`); a feed reader has no page to resolve them against.
    html: absoluteUrls(bodyHtml(input.settings, article, url), input.publicUrl),
    publishedAt: article.publishedAt,
    updatedAt: article.updatedAt,
    authors: article.authors.map((a) => ({ name: a.name, url: absolute(`/author/${a.slug}`) })),
    categories: [{ ...article.section, kind: "section" }, ...article.tags.map((t) => ({ ...t, kind: "tag" }))].map(
      (c) => ({ name: c.name, scheme: absolute(`/${c.kind}/`), term: c.slug }),
    ),
    // Readers need an enclosure's media type, and the library derives Atom's from the file extension.
    image: imageUrl && imageType ? { url: imageUrl, type: imageType } : undefined,
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

function feedOptions(input: FeedInput, entries: FeedEntry[]): FeedOptions {
  const { settings, publicUrl, channel } = input;
  const pageUrl = `${publicUrl}${channel.pagePath}`;
  const feedUrl = `${publicUrl}${channel.feedPath}`;
  const newest = Math.max(...entries.map((e) => e.updatedAt.getTime()));
  return {
    id: pageUrl,
    title: channel.title,
    description: channel.description,
    link: pageUrl,
    language: settings.language,
    updated: entries.length ? new Date(newest) : input.now,
    generator: "Broadsheet",
    favicon: `${publicUrl}/favicon.svg`,
    ...(settings.logoUrl ? { image: absoluteUrl(publicUrl, settings.logoUrl) } : {}),
    feedLinks: {
      rss: feedUrl + FEED_FORMATS.rss.suffix,
      atom: feedUrl + FEED_FORMATS.atom.suffix,
      json: feedUrl + FEED_FORMATS.json.suffix,
    },
    // Atom needs an author for the feed or for every entry: the paper itself.
    author: { name: settings.title, link: `${publicUrl}/` },
  };
}

function toItem(entry: FeedEntry): Item {
  return {
    id: entry.id,
    title: entry.title,
    link: entry.url,
    date: entry.updatedAt,
    published: entry.publishedAt,
    ...(entry.dek ? { description: escapeHtml(entry.dek) } : {}),
    content: entry.html,
    author: entry.authors.map((a) => ({ name: a.name, link: a.url })),
    // The library escapes only "&" in Atom attributes; a "<" in a tag name would make the whole feed unreadable.
    category: entry.categories.map((c) => ({
      name: c.name.replaceAll("<", "‹"),
      domain: c.scheme,
      scheme: c.scheme,
      term: c.term,
    })),
    ...(entry.image ? { image: entry.image } : {}),
  };
}

/** The library writes JSON Feed 1.0 (one author, no language), so 1.1 is written here from the same entries. */
function renderJsonFeed(options: FeedOptions, entries: FeedEntry[]): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: options.title,
    home_page_url: options.link,
    feed_url: options.feedLinks?.json,
    description: options.description,
    icon: options.image,
    favicon: options.favicon,
    language: options.language,
    authors: options.author && [{ name: options.author.name, url: options.author.link }],
    items: entries.map((entry) => ({
      id: entry.id,
      url: entry.url,
      title: entry.title,
      ...(entry.dek ? { summary: entry.dek } : {}),
      content_html: entry.html,
      image: entry.image?.url,
      date_published: entry.publishedAt.toISOString(),
      date_modified: entry.updatedAt.toISOString(),
      authors: entry.authors,
      tags: entry.categories.map((c) => c.name),
    })),
  });
}
