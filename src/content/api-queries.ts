/**
 * Reads for API clients: published articles, static pages, topics and authors, filtered by a condition the
 * caller builds over an allow-list of fields, ordered and paged. Values always travel as query parameters.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import type { Page } from "../shared/types.js";
import { type CatalogQuery, type Column, compileCondition, compileOrder } from "./catalog-condition.js";
import { SUMMARY_ROW_COLUMNS, toDate, toSummary } from "./queries.js";
import type { ArticleForReading, ArticleSummary, AuthorProfile, SectionRef, StaticPage, TagRef } from "./types.js";

type Row = Record<string, unknown>;

/** A published article with its body still split: only the paywall's outcome decides which parts go out. */
export type ArticleRecord = Omit<ArticleSummary, "authors" | "section"> & {
  createdAt: Date;
  section: SectionRef & { description: string };
  authors: AuthorProfile[];
  tags: (TagRef & { description: string })[];
  seo: ArticleForReading["seo"];
  previewHtml: string;
  gatedHtml: string;
  previewText: string;
  gatedText: string;
  hasGatedPart: boolean;
};

export type PageRecord = StaticPage & { plaintext: string; createdAt: Date };

/** What an article is filed under: its section, or one of its tags. */
export type TopicRecord = {
  origin: "section" | "tag";
  id: string;
  slug: string;
  name: string;
  description: string;
  articleCount: number;
};

export type AuthorRecord = AuthorProfile & { articleCount: number };

type Collection<F extends string, T> = {
  from: SQL;
  /** What every row must satisfy whatever the caller asks: published, public. */
  base: SQL;
  columns: SQL;
  fields: Record<F, Column>;
  tieBreak: SQL;
  toRecord(row: Row): T;
};

const text = (expr: SQL): Column => ({ type: "text", sql: expr });
const timestamp = (expr: SQL): Column => ({ type: "timestamp", sql: expr });

const articleFields = {
  id: text(sql`a.id::text`),
  slug: text(sql`a.slug`),
  title: text(sql`a.title`),
  dek: text(sql`a.dek`),
  kind: text(sql`a.kind`),
  accessLevel: text(sql`a.access_level`),
  isFeatured: { type: "boolean", sql: sql`a.is_featured` },
  publishedAt: timestamp(sql`a.published_at`),
  updatedAt: timestamp(sql`a.updated_at`),
  createdAt: timestamp(sql`a.created_at`),
  section: text(sql`s.slug`),
  tag: {
    type: "text",
    sql: sql`t.slug`,
    within: (test) =>
      sql`EXISTS (SELECT 1 FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id AND ${test})`,
  },
  author: {
    type: "text",
    sql: sql`w.slug`,
    within: (test) =>
      sql`EXISTS (SELECT 1 FROM article_authors x JOIN staff w ON w.id = x.staff_id WHERE x.article_id = a.id AND ${test})`,
  },
  primaryAuthor: {
    type: "text",
    sql: sql`w.slug`,
    within: (test) =>
      sql`EXISTS (SELECT 1 FROM article_authors x JOIN staff w ON w.id = x.staff_id
                   WHERE x.article_id = a.id AND x.position = (SELECT min(position) FROM article_authors WHERE article_id = a.id)
                     AND ${test})`,
  },
} satisfies Record<string, Column>;

export type ArticleField = keyof typeof articleFields;

/**
 * Which parts of the body a read needs: its HTML, and its text for every article (`all`), only for those without
 * a dek (`undekked`, whose summary is made from the text) or for none. A part not read is empty in the record;
 * `hasGatedPart` is read either way. The body is most of a row's bytes.
 */
export type BodyParts = { html: boolean; text: "all" | "undekked" | "none" };

export const WHOLE_BODY: BodyParts = { html: true, text: "all" };

function bodyColumns(parts: BodyParts): SQL {
  const html = parts.html ? sql`a.preview_html, a.gated_html` : sql`'' AS preview_html, '' AS gated_html`;
  const text =
    parts.text === "all"
      ? sql`a.preview_text, a.gated_text`
      : parts.text === "undekked"
        ? sql`CASE WHEN a.dek = '' THEN a.preview_text ELSE '' END AS preview_text,
              CASE WHEN a.dek = '' THEN a.gated_text ELSE '' END AS gated_text`
        : sql`'' AS preview_text, '' AS gated_text`;
  return sql`${html}, ${text}, a.gated_html <> '' AS has_gated_part`;
}

const articlesWith = (parts: BodyParts): Collection<ArticleField, ArticleRecord> => ({
  from: sql`articles a JOIN sections s ON s.id = a.section_id`,
  base: sql`a.status = 'published'`,
  // The byline is read once, in full (`authors`): the summary's shorter one would be a third subquery per row.
  columns: sql`${SUMMARY_ROW_COLUMNS}, a.created_at, s.description AS section_description, ${bodyColumns(parts)},
    a.meta_title, a.meta_description, a.social_title, a.social_description, a.social_image_url, a.canonical_url,
    (SELECT coalesce(json_agg(json_build_object('id', st.id, 'name', st.name, 'slug', st.slug, 'bio', st.bio,
              'avatarUrl', st.avatar_url, 'xHandle', st.x_handle, 'profileLinks', st.profile_links)
              ORDER BY aa.position), '[]'::json)
       FROM article_authors aa JOIN staff st ON st.id = aa.staff_id WHERE aa.article_id = a.id) AS authors,
    (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'slug', t.slug, 'description', t.description)
              ORDER BY at.position), '[]'::json)
       FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) AS tag_details`,
  fields: articleFields,
  tieBreak: sql`a.id DESC`,
  toRecord: (r) => {
    const summary = toSummary(r);
    return {
      ...summary,
      createdAt: toDate(r.created_at),
      section: { ...summary.section, description: String(r.section_description) },
      authors: (summary.authors as AuthorProfile[]).map((a) => ({ ...a, bio: a.bio ?? "" })),
      tags: parseJson<(TagRef & { description: string })[]>(r.tag_details),
      seo: {
        metaTitle: nullableText(r.meta_title),
        metaDescription: nullableText(r.meta_description),
        socialTitle: nullableText(r.social_title),
        socialDescription: nullableText(r.social_description),
        socialImageUrl: nullableText(r.social_image_url),
        canonicalUrl: nullableText(r.canonical_url),
      },
      previewHtml: String(r.preview_html),
      gatedHtml: String(r.gated_html),
      previewText: String(r.preview_text),
      gatedText: String(r.gated_text),
      hasGatedPart: r.has_gated_part === true,
    };
  },
});

const pageFields = {
  id: text(sql`p.id::text`),
  slug: text(sql`p.slug`),
  title: text(sql`p.title`),
  createdAt: timestamp(sql`p.created_at`),
  updatedAt: timestamp(sql`p.updated_at`),
} satisfies Record<string, Column>;

export type PageField = keyof typeof pageFields;

const pages: Collection<PageField, PageRecord> = {
  from: sql`pages p`,
  base: sql`p.is_published`,
  columns: sql`p.id, p.slug, p.title, p.html, p.plaintext, p.meta_description, p.created_at, p.updated_at`,
  fields: pageFields,
  tieBreak: sql`p.id`,
  toRecord: (r) => ({
    id: String(r.id),
    slug: String(r.slug),
    title: String(r.title),
    html: String(r.html),
    plaintext: String(r.plaintext),
    metaDescription: nullableText(r.meta_description),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  }),
};

/** Topics and authors are filtered alike: `alias` names the derived table each is read from. */
const namedFields = (alias: SQL) => ({
  id: text(sql`${alias}.id::text`),
  slug: text(sql`${alias}.slug`),
  name: text(sql`${alias}.name`),
  articleCount: { type: "number", sql: sql`${alias}.article_count` } satisfies Column,
});

export type TopicField = keyof ReturnType<typeof namedFields>;

// Sections always count as topics; a tag only once a published article carries it, so tags made for drafts
// don't announce what is coming.
const topics: Collection<TopicField, TopicRecord> = {
  from: sql`(SELECT 'section' AS origin, s.id, s.slug, s.name, s.description, 0 AS rank,
                    (SELECT count(*) FROM articles a WHERE a.section_id = s.id AND a.status = 'published') AS article_count
               FROM sections s
             UNION ALL
             SELECT 'tag', t.id, t.slug, t.name, t.description, 1,
                    (SELECT count(*) FROM article_tags x JOIN articles a ON a.id = x.article_id
                      WHERE x.tag_id = t.id AND a.status = 'published')
               FROM tags t) o`,
  base: sql`(o.origin = 'section' OR o.article_count > 0)`,
  columns: sql`o.origin, o.id, o.slug, o.name, o.description, o.article_count`,
  fields: namedFields(sql`o`),
  tieBreak: sql`o.rank, o.id`,
  toRecord: (r) => ({
    origin: r.origin === "section" ? "section" : "tag",
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    description: String(r.description),
    articleCount: Number(r.article_count),
  }),
};

export type AuthorField = TopicField;

// Only staff with a published article are authors to the outside; never their email or role.
const authors: Collection<AuthorField, AuthorRecord> = {
  from: sql`(SELECT st.id, st.slug, st.name, st.bio, st.avatar_url, st.x_handle, st.profile_links,
                    (SELECT count(*) FROM article_authors x JOIN articles a ON a.id = x.article_id
                      WHERE x.staff_id = st.id AND a.status = 'published') AS article_count
               FROM staff st) w`,
  base: sql`w.article_count > 0`,
  columns: sql`w.id, w.slug, w.name, w.bio, w.avatar_url, w.x_handle, w.profile_links, w.article_count`,
  fields: namedFields(sql`w`),
  tieBreak: sql`w.id`,
  toRecord: (r) => ({
    id: String(r.id),
    slug: String(r.slug),
    name: String(r.name),
    bio: String(r.bio ?? ""),
    avatarUrl: nullableText(r.avatar_url),
    xHandle: nullableText(r.x_handle),
    profileLinks: r.profile_links as string[],
    articleCount: Number(r.article_count),
  }),
};

export const listArticlesMatching = (db: Queryable, query: CatalogQuery<ArticleField>, parts: BodyParts = WHOLE_BODY) =>
  listMatching(db, articlesWith(parts), query);
export const listPagesMatching = (db: Queryable, query: CatalogQuery<PageField>) => listMatching(db, pages, query);
export const listTopicsMatching = (db: Queryable, query: CatalogQuery<TopicField>) => listMatching(db, topics, query);
export const listAuthorsMatching = (db: Queryable, query: CatalogQuery<AuthorField>) =>
  listMatching(db, authors, query);

async function listMatching<F extends string, T>(
  db: Queryable,
  collection: Collection<F, T>,
  query: CatalogQuery<F>,
): Promise<Page<T>> {
  // In parentheses: a caller's alternatives (`a OR b`) must not take precedence over what every row must satisfy.
  const where = sql`${collection.base} AND (${query.where ? compileCondition(collection.fields, query.where) : sql`TRUE`})`;
  const order = compileOrder(collection.fields, query.order);
  const count = sql`SELECT count(*) AS total FROM ${collection.from} WHERE ${where}`;
  // One round trip: the count is a subquery PostgreSQL runs once, beside the page's rows.
  const found = await queryRows<Row>(
    db,
    sql`SELECT ${collection.columns}, (${count}) AS total_matching FROM ${collection.from} WHERE ${where}
         ORDER BY ${sql.join([...order, collection.tieBreak], sql`, `)}
         LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
  );
  // A page past the end has no row to carry the count.
  const total =
    found.length > 0
      ? Number(found[0]!.total_matching)
      : query.page > 1
        ? Number((await queryRows<Row>(db, count))[0]?.total ?? 0)
        : 0;
  return {
    items: found.map(collection.toRecord),
    page: query.page,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    total,
  };
}

function nullableText(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}
