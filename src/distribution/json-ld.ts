/** schema.org structured data for pages. Built from the preview only: gated text never reaches it. */
import type { ArticleForReading, ArticleKind, ArticleSource, Author, SiteSettings } from "../content/index.js";
import { SHARE_CROPS, shareImageOf } from "./share-crops.js";

const ARTICLE_TYPES: Record<ArticleKind, string> = {
  news: "ReportageNewsArticle",
  analysis: "AnalysisNewsArticle",
  opinion: "OpinionNewsArticle",
  feature: "NewsArticle",
  explainer: "BackgroundNewsArticle",
};

/**
 * The class of the one element that wraps an article page's gated paragraphs, on every page that shows them. A
 * page showing the preview has no such element, so the selector matches nothing there (not the subscribe box).
 */
export const GATED_TEXT_CLASS = "gated-text";
export const GATED_SECTION_SELECTOR = `.${GATED_TEXT_CLASS}`;

type Site = { settings: SiteSettings; publicUrl: string };

function organization(site: Site) {
  const sameAs = [
    site.settings.xHandle ? `https://x.com/${site.settings.xHandle}` : undefined,
    site.settings.facebookPage ?? undefined,
  ].filter(Boolean);
  return {
    "@type": "NewsMediaOrganization",
    "@id": `${site.publicUrl}/#organization`,
    name: site.settings.title,
    url: `${site.publicUrl}/`,
    ...(site.settings.logoUrl
      ? { logo: { "@type": "ImageObject", url: absolute(site.publicUrl, site.settings.logoUrl) } }
      : {}),
    ...(sameAs.length ? { sameAs } : {}),
  };
}

export function homeJsonLd(site: Site): object[] {
  return [
    { "@context": "https://schema.org", ...organization(site) },
    {
      "@context": "https://schema.org",
      "@type": "WebSite",
      name: site.settings.title,
      url: `${site.publicUrl}/`,
      publisher: { "@id": `${site.publicUrl}/#organization` },
      potentialAction: {
        "@type": "SearchAction",
        target: { "@type": "EntryPoint", urlTemplate: `${site.publicUrl}/search?q={search_term_string}` },
        "query-input": "required name=search_term_string",
      },
    },
  ];
}

export function breadcrumbJsonLd(site: Site, trail: { name: string; path: string }[]): object {
  return {
    "@context": "https://schema.org",
    "@type": "BreadcrumbList",
    itemListElement: [{ name: site.settings.title, path: "/" }, ...trail].map((crumb, i) => ({
      "@type": "ListItem",
      position: i + 1,
      name: crumb.name,
      item: `${site.publicUrl}${crumb.path}`,
    })),
  };
}

export function articleJsonLd(
  site: Site,
  article: Omit<ArticleForReading, "gatedHtml">,
  description: string,
): object[] {
  const url = `${site.publicUrl}${article.path}`;
  const isGated = article.accessLevel !== "public" && article.hasGatedPart;
  return [
    {
      "@context": "https://schema.org",
      "@type": ARTICLE_TYPES[article.kind],
      headline: article.title,
      description,
      url,
      mainEntityOfPage: { "@type": "WebPage", "@id": url },
      datePublished: article.firstPublishedAt.toISOString(),
      dateModified: article.updatedAt.toISOString(),
      articleSection: article.section.name,
      keywords: article.tags.map((t) => t.name),
      image: articleImages(site, article),
      author: article.authors.map((a: Author) => ({
        "@type": "Person",
        name: a.name,
        url: `${site.publicUrl}/author/${a.slug}`,
      })),
      publisher: organization(site),
      ...basedOn(article.source),
      isAccessibleForFree: !isGated,
      ...(isGated
        ? { hasPart: { "@type": "WebPageElement", isAccessibleForFree: false, cssSelector: GATED_SECTION_SELECTOR } }
        : {}),
    },
    breadcrumbJsonLd(site, [
      { name: article.section.name, path: `/section/${article.section.slug}` },
      { name: article.title, path: article.path },
    ]),
  ];
}

/** Syndicated or agency copy names who it comes from and, when linked, the piece it is based on. */
function basedOn(source: ArticleSource | null) {
  if (!source) return {};
  const home = source.url ? `${new URL(source.url).origin}/` : undefined;
  return {
    sourceOrganization: { "@type": "Organization", name: source.name, ...(home ? { url: home } : {}) },
    ...(source.url ? { isBasedOn: source.url } : {}),
  };
}

/** The 16:9, 4:3 and 1:1 crops Google asks of a news article, from its picture or, without one, its share card. */
function articleImages(site: Site, article: Omit<ArticleForReading, "gatedHtml">): object[] {
  return SHARE_CROPS.filter((crop) => crop.name !== "card").map((crop) => {
    const image = shareImageOf(article, site.settings, crop);
    return { "@type": "ImageObject", url: `${site.publicUrl}${image.url}`, width: image.width, height: image.height };
  });
}

function absolute(publicUrl: string, url: string): string {
  return url.startsWith("/") ? `${publicUrl}${url}` : url;
}
