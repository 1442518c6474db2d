import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  ACCESS_LEVELS,
  ARTICLE_KINDS,
  ARTICLE_STATUSES,
  type FooterLink,
  type KindAccessDefaults,
  type PaywallTexts,
} from "./types.js";

// In a file of its own for length; drizzle-kit finds it through this export.
export { articleReads } from "./reads-schema.js";

/** PostgreSQL's full-text document type; written by content's save and publish commands. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const siteSettings = pgTable(
  "site_settings",
  {
    id: integer("id").primaryKey().default(1),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    logoUrl: text("logo_url"),
    accentColor: text("accent_color").notNull().default("#9b1c1c"),
    language: text("language").notNull().default("en"),
    timeZone: text("time_zone").notNull().default("UTC"),
    currency: text("currency").notNull().default("EUR"),
    xHandle: text("x_handle"),
    facebookPage: text("facebook_page"),
    instagramHandle: text("instagram_handle"),
    mastodonHandle: text("mastodon_handle"),
    /** The sections the masthead shows, in order, by id; empty shows every active section by position. */
    navigation: jsonb("navigation").$type<string[]>().notNull().default([]),
    footerLinks: jsonb("footer_links").$type<FooterLink[]>().notNull().default([]),
    previewParagraphs: integer("preview_paragraphs").notNull().default(3),
    /** Free reads of metered articles per calendar month (site time zone); 0 makes a hard paywall. */
    anonymousAllowance: integer("anonymous_allowance").notNull().default(3),
    registeredAllowance: integer("registered_allowance").notNull().default(10),
    /** What new articles of a kind start with, e.g. every analysis paid and metered. */
    kindAccessDefaults: jsonb("kind_access_defaults").$type<KindAccessDefaults>().notNull().default({}),
    /** The newsroom's own wording for the paywall's calls to action; empty keeps the built-in text. */
    paywallTexts: jsonb("paywall_texts").$type<PaywallTexts>().notNull().default({}),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("site_settings_single_row", sql`${t.id} = 1`),
    check(
      "site_settings_allowances_check",
      sql`${t.anonymousAllowance} BETWEEN 0 AND 50 AND ${t.registeredAllowance} BETWEEN 0 AND 50`,
    ),
  ],
);

export const staff = pgTable(
  "staff",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    bio: text("bio").notNull().default(""),
    avatarUrl: text("avatar_url"),
    role: text("role", { enum: ["contributor", "author", "editor", "admin", "owner"] }).notNull(),
    passwordHash: text("password_hash"),
    xHandle: text("x_handle"),
    /** The author's own pages elsewhere (a website, social accounts): https addresses, shown with the bio. */
    profileLinks: text("profile_links").array().notNull().default(sql`'{}'::text[]`),
    /** Set while the account is switched off: no sign-in, no session; bylines stay. */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("staff_email_key").on(sql`lower(${t.email})`),
    uniqueIndex("staff_slug_key").on(t.slug),
    check("staff_role_check", sql`${t.role} IN ('contributor','author','editor','admin','owner')`),
  ],
);

export const sections = pgTable(
  "sections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
    /** What new articles in the section start with; null leaves it to the kind's default. */
    defaultAccessLevel: text("default_access_level", { enum: ACCESS_LEVELS }),
    defaultMetered: boolean("default_metered").notNull().default(false),
    /** Set when archived: out of navigation and the sitemap; its articles stay where they are. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sections_slug_key").on(t.slug),
    check("sections_default_access_check", sql`${t.defaultAccessLevel} IN ('public','registered','paid')`),
  ],
);

export const tags = pgTable(
  "tags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("tags_slug_key").on(t.slug), uniqueIndex("tags_name_key").on(sql`lower(${t.name})`)],
);

export const articles = pgTable(
  "articles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    dek: text("dek").notNull().default(""),
    kind: text("kind", { enum: ARTICLE_KINDS }).notNull().default("news"),
    sectionId: uuid("section_id")
      .notNull()
      .references(() => sections.id, { onDelete: "restrict" }),
    status: text("status", { enum: ARTICLE_STATUSES }).notNull().default("draft"),
    bodyDoc: jsonb("body_doc").notNull(),
    /** Rendered, sanitised HTML up to the preview boundary: what any reader may see. */
    previewHtml: text("preview_html").notNull().default(""),
    /** The rest: sent only to readers whose access outcome is "full". */
    gatedHtml: text("gated_html").notNull().default(""),
    previewText: text("preview_text").notNull().default(""),
    gatedText: text("gated_text").notNull().default(""),
    wordCount: integer("word_count").notNull().default(0),
    readingMinutes: integer("reading_minutes").notNull().default(1),
    featureImageUrl: text("feature_image_url"),
    featureImageAlt: text("feature_image_alt"),
    featureImageCaption: text("feature_image_caption"),
    featureImageCredit: text("feature_image_credit"),
    accessLevel: text("access_level", { enum: ACCESS_LEVELS }).notNull().default("public"),
    isMetered: boolean("is_metered").notNull().default(false),
    metaTitle: text("meta_title"),
    metaDescription: text("meta_description"),
    socialTitle: text("social_title"),
    socialDescription: text("social_description"),
    socialImageUrl: text("social_image_url"),
    canonicalUrl: text("canonical_url"),
    /** Syndicated or agency copy: who it comes from ("AzerNEWS", a wire agency) and, optionally, their page. */
    sourceName: text("source_name"),
    sourceUrl: text("source_url"),
    isFeatured: boolean("is_featured").notNull().default(false),
    /** Typography applied on save (curly quotes, dashes, non-breaking spaces); off, the words stay as typed. */
    smartTypography: boolean("smart_typography").notNull().default(true),
    firstPublishedAt: timestamp("first_published_at", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
    /**
     * Title (A), dek and tags (B), the preview and the authors (C), the gated part (D): search finds an article by
     * any of its words, and shows a reader without access only the preview (content/search.ts). Only matched,
     * through its index; never read to rank (rankVector).
     */
    searchVector: tsvector("search_vector"),
    /** The headline's part of searchVector (weight A), indexed on its own so headline matches are found first. */
    titleVector: tsvector("title_vector").generatedAlwaysAs(sql`ts_filter(search_vector, '{a}')`),
    /**
     * searchVector without the gated part (A, B and C): what results are ranked on, a tenth of the whole vector's
     * size, so ranking a hundred matches reads a hundred small vectors.
     */
    rankVector: tsvector("rank_vector").generatedAlwaysAs(sql`ts_filter(search_vector, '{a,b,c}')`),
    /**
     * The dek and the whole text, cut at 2,000 characters: a readable snippet is cut from it, so highlighting
     * parses a bounded text however long the article.
     */
    snippetText: text("snippet_text").generatedAlwaysAs(
      sql`left(dek || ' ' || preview_text || ' ' || gated_text, 2000)`,
    ),
    /**
     * Every pair of words that stand next to each other in searchVector, as "first second" (stems), so a phrase is
     * found through its pairs in one index read rather than by checking every article holding its words.
     */
    searchPairs: text("search_pairs").array().generatedAlwaysAs(sql`adjacent_word_pairs(search_vector)`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("articles_slug_key").on(t.slug),
    index("articles_search_idx").using("gin", t.searchVector),
    index("articles_title_search_idx").using("gin", t.titleVector),
    index("articles_search_pairs_idx").using("gin", t.searchPairs),
    index("articles_published_idx").on(t.status, t.publishedAt.desc()),
    index("articles_section_published_idx").on(t.sectionId, t.publishedAt.desc()),
    // The front page's Analysis and Opinion rails and its featured strip: their newest, whatever the archive's size.
    index("articles_kind_published_idx").on(t.kind, t.publishedAt.desc()).where(sql`${t.status} = 'published'`),
    index("articles_featured_published_idx")
      .on(t.publishedAt.desc())
      .where(sql`${t.status} = 'published' AND ${t.isFeatured}`),
    check("articles_kind_check", sql`${t.kind} IN ('news','analysis','opinion','feature','explainer')`),
    check("articles_status_check", sql`${t.status} IN ('draft','in_review','scheduled','published','archived')`),
    check("articles_access_check", sql`${t.accessLevel} IN ('public','registered','paid')`),
  ],
);

export const articleTags = pgTable(
  "article_tags",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    tagId: uuid("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.tagId] }), index("article_tags_tag_idx").on(t.tagId)],
);

export const articleAuthors = pgTable(
  "article_authors",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    staffId: uuid("staff_id")
      .notNull()
      .references(() => staff.id, { onDelete: "restrict" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.staffId] }), index("article_authors_staff_idx").on(t.staffId)],
);

/**
 * The words any reader may read (headlines, deks, tags, previews, and whole texts that are not gated), for
 * search's spelling suggestions: a suggestion must never name a word only subscribers can read.
 */
export const searchWords = pgTable(
  "search_words",
  {
    word: text("word").primaryKey(),
    /** How many published articles' readable words hold it; at 0 the word is gone (a trigger keeps the count). */
    articles: integer("articles").notNull().default(1),
  },
  (t) => [index("search_words_trgm_idx").using("gin", sql`search_fold(${t.word}) gin_trgm_ops`)],
);

/**
 * Each published article's readable words as last counted into search_words: rewriting or deleting a row moves
 * the counts (the trigger count_search_words), so a word leaves the suggestions when no published article holds
 * it any more.
 */
export const articleSearchWords = pgTable("article_search_words", {
  articleId: uuid("article_id")
    .primaryKey()
    .references(() => articles.id, { onDelete: "cascade" }),
  words: text("words").array().notNull(),
});

/** Related articles, chosen when an article is published or changed rather than on every page view. */
export const relatedArticles = pgTable(
  "related_articles",
  {
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    relatedId: uuid("related_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.relatedId] })],
);

export const pages = pgTable(
  "pages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    bodyDoc: jsonb("body_doc").notNull(),
    html: text("html").notNull().default(""),
    plaintext: text("plaintext").notNull().default(""),
    metaDescription: text("meta_description"),
    isPublished: boolean("is_published").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("pages_slug_key").on(t.slug)],
);

export const SLUG_OWNERS = ["article", "section", "tag", "author", "page"] as const;

/** Old slugs, so a renamed article, section, tag, author or page answers 301 at its old address. */
export const slugRedirects = pgTable(
  "slug_redirects",
  {
    owner: text("owner", { enum: SLUG_OWNERS }).notNull(),
    oldSlug: text("old_slug").notNull(),
    targetId: uuid("target_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.owner, t.oldSlug] })],
);

export const setupTokens = pgTable("setup_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: createdAt(),
});

/**
 * Every saved state of an article's editable fields, numbered by the article's version at the time: the
 * newsroom's history, compare and restore. Workflow changes (publish, schedule) are not revisions.
 */
export const articleRevisions = pgTable(
  "article_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    fields: jsonb("fields").notNull(),
    savedBy: uuid("saved_by").references(() => staff.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("article_revisions_version_key").on(t.articleId, t.version)],
);

export const CORRECTION_KINDS = ["correction", "update"] as const;

/** Notes appended to a published article, shown with their time at its end. They are never edited away. */
export const articleCorrections = pgTable(
  "article_corrections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: CORRECTION_KINDS }).notNull(),
    note: text("note").notNull(),
    createdBy: uuid("created_by").references(() => staff.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("article_corrections_article_idx").on(t.articleId, t.createdAt),
    check("article_corrections_kind_check", sql`${t.kind} IN ('correction','update')`),
  ],
);

/**
 * The front page as the editors arranged it: position 0 is the lead, 1… the top stories in order. Only
 * published articles are shown; an unpublished one drops out until it is published again.
 */
export const homePicks = pgTable(
  "home_picks",
  {
    position: integer("position").primaryKey(),
    articleId: uuid("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
  },
  (t) => [
    uniqueIndex("home_picks_article_key").on(t.articleId),
    check("home_picks_position_check", sql`${t.position} BETWEEN 0 AND 100`),
  ],
);

/** The breaking-news strip shown on every reader page until it expires: one at a time. */
export const breakingNews = pgTable(
  "breaking_news",
  {
    id: integer("id").primaryKey().default(1),
    text: text("text").notNull(),
    /** http(s) or a path on this site. */
    url: text("url"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    updatedBy: uuid("updated_by").references(() => staff.id, { onDelete: "set null" }),
    updatedAt: updatedAt(),
  },
  (t) => [check("breaking_news_single_row", sql`${t.id} = 1`)],
);
