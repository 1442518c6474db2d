/** Sitemaps (sitemaps.org 0.9) and the Google News sitemap, as XML text. */
import { escapeXml } from "./xml.js";

export type SitemapUrl = { loc: string; lastModified?: Date | undefined };

export type NewsSitemapInput = {
  publicationName: string;
  language: string;
  articles: { loc: string; title: string; publishedAt: Date }[];
};

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

const element = (name: string, text: string) => `<${name}>${escapeXml(text)}</${name}>`;

function location(entry: SitemapUrl): string {
  return element("loc", entry.loc) + (entry.lastModified ? element("lastmod", entry.lastModified.toISOString()) : "");
}

export function renderUrlset(urls: SitemapUrl[]): string {
  const body = urls.map((url) => `<url>${location(url)}</url>\n`).join("");
  return `${DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n${body}</urlset>\n`;
}

export function renderSitemapIndex(sitemaps: SitemapUrl[]): string {
  const body = sitemaps.map((sitemap) => `<sitemap>${location(sitemap)}</sitemap>\n`).join("");
  return `${DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n${body}</sitemapindex>\n`;
}

export function renderNewsSitemap(input: NewsSitemapInput): string {
  const publication = `<news:publication>${element("news:name", input.publicationName)}${element("news:language", input.language)}</news:publication>`;
  const body = input.articles
    .map(
      (article) =>
        `<url>${element("loc", article.loc)}<news:news>${publication}${element("news:publication_date", article.publishedAt.toISOString())}${element("news:title", article.title)}</news:news></url>\n`,
    )
    .join("");
  return `${DECLARATION}<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${body}</urlset>\n`;
}
