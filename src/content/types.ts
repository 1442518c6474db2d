import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";

export const ARTICLE_KINDS = ["news", "analysis", "opinion", "feature", "explainer"] as const;
export const ACCESS_LEVELS = ["public", "registered", "paid"] as const;
export const ARTICLE_STATUSES = ["draft", "in_review", "scheduled", "published", "archived"] as const;

/** What every content service needs: the database and the clock. */
export type ContentDeps = { db: Db; clock: Clock };

export type ArticleKind = (typeof ARTICLE_KINDS)[number];
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export type StaffRole = "contributor" | "author" | "editor" | "admin" | "owner";

/** A page-cache tag: which cached responses show a thing, so changing it refreshes exactly those. */
export type CacheTag = string;

export const cacheTags = {
  site: "site",
  home: "home",
  feeds: "feeds",
  notFound: "not-found",
  /** Every page of search results: any article coming, going or changing may change any of them. */
  search: "search",
  /** The "Most read" list under articles (a fragment of its own, so article pages never depend on it). */
  mostRead: "most-read",
  /** Every page that shows the article: its own, and lists with its teaser. */
  article: (id: string) => `article:${id}`,
  /** The article's own page only, e.g. when its related articles change. */
  articlePage: (id: string) => `article-page:${id}`,
  section: (id: string) => `section:${id}`,
  tag: (id: string) => `tag:${id}`,
  author: (id: string) => `author:${id}`,
  page: (id: string) => `page:${id}`,
} as const;

/** Where an article's access level and metered flag start when it is created; the editor can change both. */
export type AccessDefault = { accessLevel: AccessLevel; isMetered: boolean };
export type KindAccessDefaults = Partial<Record<ArticleKind, AccessDefault>>;
export type PaywallTexts = { register?: string; subscribe?: string; exhausted?: string };
/** A link in the site's footer: a label and an http(s) or site-relative address. */
export type FooterLink = { label: string; url: string };

export type SiteSettings = {
  title: string;
  description: string;
  logoUrl: string | null;
  accentColor: string;
  language: string;
  timeZone: string;
  currency: string;
  xHandle: string | null;
  facebookPage: string | null;
  instagramHandle: string | null;
  mastodonHandle: string | null;
  /** Section ids for the masthead, in order; empty: every active section by position. */
  navigation: string[];
  footerLinks: FooterLink[];
  previewParagraphs: number;
  anonymousAllowance: number;
  registeredAllowance: number;
  kindAccessDefaults: KindAccessDefaults;
  paywallTexts: PaywallTexts;
};

export type SectionRef = { id: string; slug: string; name: string };
export type Section = SectionRef & {
  description: string;
  position: number;
  accessDefault: AccessDefault | null;
  /** Archived sections leave navigation and the sitemap; their articles stay where they are. */
  archivedAt: Date | null;
};
export type TagRef = { id: string; slug: string; name: string };
export type AuthorRef = { id: string; slug: string; name: string };
/** An author as a teaser shows them: the face beside an opinion piece's headline. */
export type BylineAuthor = AuthorRef & { avatarUrl: string | null };
export type Author = BylineAuthor & { bio: string; xHandle: string | null };
/** An author as their own page shows them: with their pages elsewhere (https addresses). */
export type AuthorProfile = Author & { profileLinks: string[] };
export type ImageRef = { url: string; alt: string; caption: string | null; credit: string | null };

/** What a list, a rail or a teaser needs: never the body. */
export type ArticleSummary = {
  id: string;
  slug: string;
  path: string;
  title: string;
  dek: string;
  kind: ArticleKind;
  section: SectionRef;
  authors: BylineAuthor[];
  accessLevel: AccessLevel;
  isFeatured: boolean;
  readingMinutes: number;
  publishedAt: Date;
  updatedAt: Date;
  image: ImageRef | null;
  /** Where syndicated or agency copy comes from; null for the paper's own. */
  source: ArticleSource | null;
};

export type ArticleSource = { name: string; url: string | null };

/** A published article with its body still split; only the paywall's outcome decides which parts a reader gets. */
export type ArticleForReading = Omit<ArticleSummary, "authors"> & {
  firstPublishedAt: Date;
  authors: Author[];
  tags: TagRef[];
  isMetered: boolean;
  previewHtml: string;
  gatedHtml: string;
  previewText: string;
  hasGatedPart: boolean;
  seo: {
    metaTitle: string | null;
    metaDescription: string | null;
    socialTitle: string | null;
    socialDescription: string | null;
    socialImageUrl: string | null;
    canonicalUrl: string | null;
  };
  related: ArticleSummary[];
  /** Correction and update notes, oldest first; shown at the end of the article to every reader. */
  corrections: CorrectionNote[];
};

export type CorrectionNote = { kind: "correction" | "update"; note: string; createdAt: Date };

export type StaticPage = {
  id: string;
  slug: string;
  title: string;
  html: string;
  metaDescription: string | null;
  updatedAt: Date;
};

export function articlePath(sectionSlug: string, slug: string): string {
  return `/${sectionSlug}/${slug}`;
}
