import type { BreakingNews, Section, SiteSettings } from "../../content/index.js";
import type { SubscriptionPrices } from "./price-terms.js";

/** Who is reading, as far as a cached page may know: never the individual, only the class. */
export type ReaderClass = "anon" | "member" | "subscriber" | "staff";

/** What every page's shell needs: the site, its sections and pages, its assets, and the time of rendering. */
export type SiteFrame = {
  settings: SiteSettings;
  /** Active sections by position (footer, front-page blocks). */
  sections: Section[];
  /** The masthead's sections, in the order the settings give. */
  navigation: Section[];
  /** The breaking-news strip while it runs; a page showing it is cached only until `expiresAt`. */
  breaking: BreakingNews | null;
  pages: { slug: string; title: string }[];
  /**
   * The plan and the default offer while it runs, named in the paywall box; null without Stripe (no price is
   * spoken of). Re-read after any invalidation: the newsroom's plan and offer routes invalidate `site`.
   */
  prices: SubscriptionPrices | null;
  /** The newsletter offered at the end of articles (a plain form to its page's sign-up); none without a free one. */
  signUp?: { name: string; slug: string; description: string } | null;
  publicUrl: string;
  assets: { css: string; js: string; fontPreloads: string[] };
  now: Date;
  /** Chooses the masthead's links (Sign in / Subscribe / Account); part of the page cache key. */
  readerClass: ReaderClass;
};

export type PageMeta = {
  title: string;
  description: string;
  path: string;
  canonicalUrl?: string;
  ogType?: "website" | "article";
  image?: { url: string; alt: string; width?: number; height?: number; contentType?: string } | null;
  prev?: string;
  next?: string;
  noindex?: boolean;
  /** A listing's own feed, advertised before the paper's: its address (`/section/x/feed`) and title. */
  feed?: { path: string; title: string };
  /** Extra <meta>/<link> and JSON-LD for the head, already built from safe values. */
  jsonLd?: object[];
  articleMeta?: { publishedTime: string; modifiedTime: string; section: string; tags: string[] };
};
