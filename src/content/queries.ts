/** Reads for the reader site, page-shaped: one query per page where it helps. */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { NotFound } from "../shared/errors.js";
import type { Page } from "../shared/types.js";
import {
  type AccessLevel,
  type ArticleForReading,
  type ArticleKind,
  type ArticleStatus,
  type ArticleSummary,
  type Author,
  articlePath,
  type BylineAuthor,
  type CorrectionNote,
  type FooterLink,
  type KindAccessDefaults,
  type PaywallTexts,
  type Section,
  type SiteSettings,
  type StaticPage,
  type TagRef,
} from "./types.js";

type Row = Record<string, unknown>;

function rows(db: Queryable, query: SQL): Promise<Row[]> {
  return queryRows<Row>(db, query);
}

/** A summary's own columns, without its byline (`authors`), for reads that build a fuller one themselves. */
export const SUMMARY_ROW_COLUMNS = sql`
  a.id, a.slug, a.title, a.dek, a.kind, a.access_level, a.is_featured, a.reading_minutes,
  a.published_at, a.updated_at, a.feature_image_url, a.feature_image_alt, a.feature_image_caption, a.feature_image_credit,
  a.source_name, a.source_url, s.id AS section_id, s.slug AS section_slug, s.name AS section_name`;
export const SUMMARY_COLUMNS = sql`${SUMMARY_ROW_COLUMNS},
  (SELECT coalesce(json_agg(json_build_object('id', st.id, 'name', st.name, 'slug', st.slug, 'avatarUrl', st.avatar_url)
       ORDER BY aa.position), '[]'::json)
     FROM article_authors aa JOIN staff st ON st.id = aa.staff_id WHERE aa.article_id = a.id) AS authors`;

const ARTICLE_TAGS = sql`(SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'slug', t.slug) ORDER BY at.position), '[]'::json)
  FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id)`;

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function toSummary(r: Row): ArticleSummary {
  const sectionSlug = String(r.section_slug);
  return {
    id: String(r.id),
    slug: String(r.slug),
    path: articlePath(sectionSlug, String(r.slug)),
    title: String(r.title),
    dek: String(r.dek),
    kind: r.kind as ArticleKind,
    section: { id: String(r.section_id), slug: sectionSlug, name: String(r.section_name) },
    authors: parseJson<BylineAuthor[]>(r.authors),
    accessLevel: r.access_level as ArticleSummary["accessLevel"],
    isFeatured: Boolean(r.is_featured),
    readingMinutes: Number(r.reading_minutes),
    publishedAt: toDate(r.published_at),
    updatedAt: toDate(r.updated_at),
    image: r.feature_image_url
      ? {
          url: String(r.feature_image_url),
          alt: String(r.feature_image_alt ?? ""),
          caption: (r.feature_image_caption as string | null) ?? null,
          credit: (r.feature_image_credit as string | null) ?? null,
        }
      : null,
    source: r.source_name ? { name: String(r.source_name), url: (r.source_url as string | null) ?? null } : null,
  };
}

function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

export async function getSettings(db: Queryable): Promise<SiteSettings> {
  const [r] = await rows(
    db,
    sql`SELECT title, description, logo_url, accent_color, language, time_zone, currency, x_handle, facebook_page,
               instagram_handle, mastodon_handle, navigation, footer_links, preview_paragraphs, anonymous_allowance, registered_allowance, kind_access_defaults, paywall_texts
        FROM site_settings WHERE id = 1`,
  );
  if (!r) throw new NotFound("SETTINGS_MISSING", "The site has no settings yet");
  return {
    title: String(r.title),
    description: String(r.description),
    logoUrl: (r.logo_url as string | null) ?? null,
    accentColor: String(r.accent_color),
    language: String(r.language),
    timeZone: String(r.time_zone),
    currency: String(r.currency),
    xHandle: (r.x_handle as string | null) ?? null,
    facebookPage: (r.facebook_page as string | null) ?? null,
    instagramHandle: (r.instagram_handle as string | null) ?? null,
    mastodonHandle: (r.mastodon_handle as string | null) ?? null,
    navigation: parseJson<string[]>(r.navigation),
    footerLinks: parseJson<FooterLink[]>(r.footer_links),
    previewParagraphs: Number(r.preview_paragraphs),
    anonymousAllowance: Number(r.anonymous_allowance),
    registeredAllowance: Number(r.registered_allowance),
    kindAccessDefaults: parseJson<KindAccessDefaults>(r.kind_access_defaults),
    paywallTexts: parseJson<PaywallTexts>(r.paywall_texts),
  };
}

/** When the site settings last changed. */
export async function getSettingsChangedAt(db: Queryable): Promise<Date> {
  const [r] = await rows(db, sql`SELECT updated_at FROM site_settings WHERE id = 1`);
  if (!r) throw new NotFound("SETTINGS_MISSING", "The site has no settings yet");
  return toDate(r.updated_at);
}

const SECTION_COLUMNS = sql`id, slug, name, description, position, default_access_level, default_metered, archived_at`;

function toSection(r: Row): Section {
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    description: String(r.description),
    position: Number(r.position),
    accessDefault: r.default_access_level
      ? { accessLevel: r.default_access_level as AccessLevel, isMetered: Boolean(r.default_metered) }
      : null,
    archivedAt: r.archived_at ? toDate(r.archived_at) : null,
  };
}

/** Sections by position; archived ones only when asked (the newsroom), never in the reader site's frame. */
export async function listSections(db: Queryable, options: { withArchived?: boolean } = {}): Promise<Section[]> {
  const where = options.withArchived ? sql`` : sql`WHERE archived_at IS NULL`;
  const result = await rows(db, sql`SELECT ${SECTION_COLUMNS} FROM sections ${where} ORDER BY position, name`);
  return result.map(toSection);
}

export type ListingFilter =
  | { kind: "section"; sectionId: string }
  | { kind: "tag"; tagId: string }
  | { kind: "author"; staffId: string };

export const LISTING_PAGE_SIZE = 12;

/** A page of published articles in a section, a tag or by an author; `page` past the end gives no items. */
export async function listArticles(db: Queryable, filter: ListingFilter, page: number): Promise<Page<ArticleSummary>> {
  const where = listingCondition(filter);
  // Counted on its own: a count over the page's own rows would read every match's columns to show twelve.
  const [counted] = await rows(
    db,
    sql`SELECT count(*) AS total FROM articles a WHERE a.status = 'published' AND ${where}`,
  );
  const total = Number(counted?.total ?? 0);
  const result = await rows(
    db,
    sql`SELECT ${SUMMARY_COLUMNS}
          FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published' AND ${where}
         ORDER BY a.published_at DESC NULLS LAST, a.id
         LIMIT ${LISTING_PAGE_SIZE} OFFSET ${(page - 1) * LISTING_PAGE_SIZE}`,
  );
  return { items: result.map(toSummary), page, pages: Math.max(1, Math.ceil(total / LISTING_PAGE_SIZE)), total };
}

function listingCondition(filter: ListingFilter): SQL {
  return filter.kind === "section"
    ? sql`a.section_id = ${filter.sectionId}`
    : filter.kind === "tag"
      ? sql`EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag_id = ${filter.tagId})`
      : sql`EXISTS (SELECT 1 FROM article_authors w WHERE w.article_id = a.id AND w.staff_id = ${filter.staffId})`;
}

export async function findSectionBySlug(db: Queryable, slug: string): Promise<Section | undefined> {
  const [r] = await rows(db, sql`SELECT ${SECTION_COLUMNS} FROM sections WHERE slug = ${slug}`);
  return r && toSection(r);
}

export async function findTagBySlug(
  db: Queryable,
  slug: string,
): Promise<(TagRef & { description: string }) | undefined> {
  const [r] = await rows(db, sql`SELECT id, slug, name, description FROM tags WHERE slug = ${slug}`);
  return r
    ? { id: String(r.id), slug: String(r.slug), name: String(r.name), description: String(r.description) }
    : undefined;
}

/** Everyone with a byline on a published article, by name: the author choices of the search form. */
export async function listBylines(db: Queryable): Promise<{ slug: string; name: string }[]> {
  const result = await rows(
    db,
    // A sub-select per staff member, stopping at their first published article: written as a join, the planner
    // reads every article to learn what one lookup would tell it.
    sql`SELECT st.slug, st.name FROM staff st
         WHERE (SELECT true FROM article_authors w
                 WHERE w.staff_id = st.id
                   AND (SELECT a.status FROM articles a WHERE a.id = w.article_id) = 'published'
                 LIMIT 1)
         ORDER BY st.name`,
  );
  return result.map((r) => ({ slug: String(r.slug), name: String(r.name) }));
}

function toAuthor(r: Row): Author {
  return {
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    bio: String(r.bio ?? ""),
    avatarUrl: (r.avatar_url as string | null) ?? null,
    xHandle: (r.x_handle as string | null) ?? null,
  };
}

/** A published article with everything its page shows, related articles included, in one query. */
export async function findArticleForReading(db: Queryable, slug: string): Promise<ArticleForReading | undefined> {
  return readArticle(db, sql`SELECT id FROM articles WHERE slug = ${slug} AND status = 'published'`);
}

/**
 * An article in any status (a draft, a scheduled one), as its page would show it: for signed preview links only.
 * One never published is dated by its last change.
 */
export async function findArticleForPreview(
  db: Queryable,
  id: string,
): Promise<(ArticleForReading & { status: ArticleStatus }) | undefined> {
  const article = await readArticle(db, sql`SELECT id FROM articles WHERE id = ${id}`);
  if (!article || !Number.isNaN(article.publishedAt.getTime())) return article;
  return { ...article, publishedAt: article.updatedAt, firstPublishedAt: article.updatedAt };
}

async function readArticle(
  db: Queryable,
  which: SQL,
): Promise<(ArticleForReading & { status: ArticleStatus }) | undefined> {
  // One round trip: the article, its authors and tags, and its related articles (chosen at publish time).
  const [r] = await rows(
    db,
    sql`WITH me AS (${which})
        SELECT ${SUMMARY_COLUMNS}, a.status, a.first_published_at, a.is_metered, a.preview_html, a.gated_html, a.preview_text,
               a.meta_title, a.meta_description, a.social_title, a.social_description, a.social_image_url, a.canonical_url,
               (SELECT coalesce(json_agg(json_build_object('id', st.id, 'name', st.name, 'slug', st.slug, 'bio', st.bio,
                         'avatar_url', st.avatar_url, 'x_handle', st.x_handle) ORDER BY aa.position), '[]'::json)
                  FROM article_authors aa JOIN staff st ON st.id = aa.staff_id WHERE aa.article_id = a.id) AS author_details,
               ${ARTICLE_TAGS} AS tags,
               (SELECT coalesce(json_agg(row_to_json(rel) ORDER BY rel.position), '[]'::json)
                  FROM (SELECT r.position, ${SUMMARY_COLUMNS}
                          FROM related_articles r JOIN articles a ON a.id = r.related_id JOIN sections s ON s.id = a.section_id
                         WHERE r.article_id = me.id AND a.status = 'published') rel) AS related,
               (SELECT coalesce(json_agg(json_build_object('kind', c.kind, 'note', c.note, 'created_at', c.created_at)
                         ORDER BY c.created_at), '[]'::json)
                  FROM article_corrections c WHERE c.article_id = me.id) AS corrections
          FROM me JOIN articles a ON a.id = me.id JOIN sections s ON s.id = a.section_id`,
  );
  if (!r) return undefined;
  const summary = toSummary(r);
  const tags = parseJson<TagRef[]>(r.tags);
  const related = parseJson<Row[]>(r.related);
  return {
    ...summary,
    status: r.status as ArticleStatus,
    firstPublishedAt: toDate(r.first_published_at ?? r.published_at),
    authors: parseJson<Row[]>(r.author_details).map(toAuthor),
    tags,
    isMetered: Boolean(r.is_metered),
    previewHtml: String(r.preview_html),
    gatedHtml: String(r.gated_html),
    previewText: String(r.preview_text),
    hasGatedPart: String(r.gated_html).length > 0,
    seo: {
      metaTitle: (r.meta_title as string | null) ?? null,
      metaDescription: (r.meta_description as string | null) ?? null,
      socialTitle: (r.social_title as string | null) ?? null,
      socialDescription: (r.social_description as string | null) ?? null,
      socialImageUrl: (r.social_image_url as string | null) ?? null,
      canonicalUrl: (r.canonical_url as string | null) ?? null,
    },
    related: related.map(toSummary),
    corrections: parseJson<Row[]>(r.corrections).map((c) => ({
      kind: c.kind as CorrectionNote["kind"],
      note: String(c.note),
      createdAt: toDate(c.created_at),
    })),
  };
}

export async function findStaticPage(db: Queryable, slug: string): Promise<StaticPage | undefined> {
  const [r] = await rows(
    db,
    sql`SELECT id, slug, title, html, meta_description, updated_at FROM pages WHERE slug = ${slug} AND is_published`,
  );
  return r
    ? {
        id: String(r.id),
        slug: String(r.slug),
        title: String(r.title),
        html: String(r.html),
        metaDescription: (r.meta_description as string | null) ?? null,
        updatedAt: toDate(r.updated_at),
      }
    : undefined;
}

export async function listStaticPages(db: Queryable): Promise<{ slug: string; title: string }[]> {
  const result = await rows(db, sql`SELECT slug, title FROM pages WHERE is_published ORDER BY created_at, slug`);
  return result.map((r) => ({ slug: String(r.slug), title: String(r.title) }));
}

export type SlugOwner = "article" | "section" | "tag" | "author" | "page";

/** Where an old slug points now: the current slug of the thing it was renamed to (and its section, for articles). */
export async function findSlugRedirect(
  db: Queryable,
  owner: SlugOwner,
  oldSlug: string,
): Promise<{ slug: string; sectionSlug?: string } | undefined> {
  const target =
    owner === "article"
      ? sql`SELECT a.slug, s.slug AS section_slug FROM articles a JOIN sections s ON s.id = a.section_id
             WHERE a.id = r.target_id AND a.status = 'published'`
      : owner === "section"
        ? sql`SELECT slug, NULL AS section_slug FROM sections WHERE id = r.target_id`
        : owner === "tag"
          ? sql`SELECT slug, NULL AS section_slug FROM tags WHERE id = r.target_id`
          : owner === "author"
            ? sql`SELECT slug, NULL AS section_slug FROM staff WHERE id = r.target_id`
            : sql`SELECT slug, NULL AS section_slug FROM pages WHERE id = r.target_id AND is_published`;
  const [r] = await rows(
    db,
    sql`SELECT t.slug, t.section_slug FROM slug_redirects r, LATERAL (${target}) t
         WHERE r.owner = ${owner} AND r.old_slug = ${oldSlug}`,
  );
  if (!r) return undefined;
  return r.section_slug ? { slug: String(r.slug), sectionSlug: String(r.section_slug) } : { slug: String(r.slug) };
}

/** An article as a feed carries it: its summary and tags, and its body still split for the paywall to choose. */
export type FeedArticle = ArticleSummary & {
  tags: TagRef[];
  previewHtml: string;
  gatedHtml: string;
  hasGatedPart: boolean;
};

/** The newest published articles' summaries: the headlines a page that found nothing offers instead. */
export async function listLatestArticles(db: Queryable, limit: number): Promise<ArticleSummary[]> {
  const result = await rows(
    db,
    sql`SELECT ${SUMMARY_COLUMNS} FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published' ORDER BY a.published_at DESC NULLS LAST, a.id LIMIT ${limit}`,
  );
  return result.map(toSummary);
}

/** The newest published articles, everywhere or in one section, tag or author, in one query. */
export async function listArticlesForFeed(
  db: Queryable,
  input: { filter?: ListingFilter; limit: number },
): Promise<FeedArticle[]> {
  const where = input.filter ? sql`AND ${listingCondition(input.filter)}` : sql``;
  const result = await rows(
    db,
    sql`SELECT ${SUMMARY_COLUMNS}, a.preview_html, a.gated_html, ${ARTICLE_TAGS} AS tags
          FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published' ${where}
         ORDER BY a.published_at DESC NULLS LAST, a.id
         LIMIT ${input.limit}`,
  );
  return result.map((r) => ({
    ...toSummary(r),
    tags: parseJson<TagRef[]>(r.tags),
    previewHtml: String(r.preview_html),
    gatedHtml: String(r.gated_html),
    hasGatedPart: String(r.gated_html).length > 0,
  }));
}

type PublishedSince = { since: Date; limit: number; sectionIds?: readonly string[] };
/** Published articles from `since` on, newest first: a news sitemap's, or a digest's (in `sectionIds` if any). */
export async function listArticlesPublishedSince(db: Queryable, input: PublishedSince): Promise<ArticleSummary[]> {
  const ids = (input.sectionIds ?? []).map((id) => sql`${id}::uuid`);
  const inSections = ids.length === 0 ? sql`` : sql`AND a.section_id IN (${sql.join(ids, sql`, `)})`;
  const result = await rows(
    db,
    sql`SELECT ${SUMMARY_COLUMNS}
          FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published' AND a.published_at >= ${input.since.toISOString()}::timestamptz ${inSections}
         ORDER BY a.published_at DESC NULLS LAST, a.id
         LIMIT ${input.limit}`,
  );
  return result.map(toSummary);
}
