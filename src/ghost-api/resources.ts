/**
 * Ghost's four browsable resources, each over a content collection: which Ghost fields may be filtered and
 * ordered on (and what they mean here), what `include` adds, and how one item is serialized.
 */
import type { TSchema } from "@sinclair/typebox";
import {
  ARTICLE_KINDS,
  type ArticleField,
  type ArticleRecord,
  type AuthorField,
  type AuthorRecord,
  type BodyParts,
  type CatalogCondition,
  type CatalogOrder,
  type CatalogQuery,
  type CatalogValue,
  cacheTags,
  listArticlesMatching,
  listAuthorsMatching,
  listPagesMatching,
  listTopicsMatching,
  type PageField,
  type PageRecord,
  type TopicField,
  type TopicRecord,
} from "../content/index.js";
import type { Queryable } from "../db/index.js";
import type { Page } from "../shared/types.js";
import { type FilterComparison, type FilterFields, sameAs } from "./nql-filter.js";
import type { Format } from "./query-options.js";
import { GhostAuthor, GhostPost, GhostTag } from "./response-schemas.js";
import {
  KIND_TAG_SLUG_PREFIX,
  type SerializeContext,
  toGhostAuthor,
  toGhostPage,
  toGhostPost,
  toGhostTag,
  VISIBILITY,
} from "./serializers.js";

export type Resource<F extends string, T> = {
  name: "posts" | "pages" | "tags" | "authors";
  /** For the 404 message: "cannot read post." */
  singular: string;
  filterFields: FilterFields<F>;
  orderFields: Record<string, F>;
  defaultOrder: CatalogOrder<F>[];
  /** The `include` values that add something, and the keys each adds; others are dropped, as Ghost drops them. */
  includes: Record<string, string[]>;
  keys: { id: F; slug: F };
  /** What `wants` leaves out of every object need not be read. */
  list(db: Queryable, query: CatalogQuery<F>, wants: Wants): Promise<Page<T>>;
  serialize(item: T, ctx: SerializeContext): Record<string, unknown>;
  /**
   * The page cache tags of an answer with these items, besides `site` (which every answer carries): changing any
   * of them, or for a list (`isList`) anything that could add to it or reorder it, drops the answer.
   */
  answerTags(items: readonly T[], isList: boolean): string[];
  schema: TSchema;
};

/** What a response shows of each object: the `formats` asked for, and `fields` (empty: every key). */
export type Wants = { formats: ReadonlySet<Format>; fields: ReadonlySet<string> };

/**
 * The body parts a post needs: the HTML for `html` and for `reading_time` (counted from the whole body), the
 * text for `plaintext`, or for the `excerpt` of a post without a custom excerpt (made from its text).
 */
export function bodyPartsFor({ formats, fields }: Wants): BodyParts {
  const shows = (key: string) => fields.size === 0 || fields.has(key);
  return {
    html: (formats.has("html") && shows("html")) || shows("reading_time"),
    text: formats.has("plaintext") && shows("plaintext") ? "all" : shows("excerpt") ? "undekked" : "none",
  };
}

const ACCESS_LEVEL_OF: Record<string, string> = Object.fromEntries(
  Object.entries(VISIBILITY).map(([level, visibility]) => [visibility, level]),
);
const toAccessLevel = (v: CatalogValue) =>
  typeof v === "string" && Object.hasOwn(ACCESS_LEVEL_OF, v) ? ACCESS_LEVEL_OF[v]! : v;

/** The article kind an internal tag slug (`hash-analysis`) names, if any. */
function kindOf(value: CatalogValue): string | undefined {
  if (typeof value !== "string" || !value.startsWith(KIND_TAG_SLUG_PREFIX)) return undefined;
  const kind = value.slice(KIND_TAG_SLUG_PREFIX.length);
  return (ARTICLE_KINDS as readonly string[]).includes(kind) ? kind : undefined;
}

/** A post's tags are its section, its tags and its kind tag: `tag:x` matches any of them. */
function anyTag(c: FilterComparison): CatalogCondition<ArticleField> {
  const alternatives = [sameAs<ArticleField>("section")(c), sameAs<ArticleField>("tag")(c)];
  const kinds = (c.op === "in" ? c.values : c.op === "eq" ? [c.value] : []).flatMap((v) => kindOf(v) ?? []);
  if (kinds.length > 0) alternatives.push({ kind: "in", field: "kind", values: kinds });
  return { kind: "any", conditions: alternatives };
}

const POST_INCLUDES = { tags: ["tags", "primary_tag"], authors: ["authors", "primary_author"] };

const postAndPageFilters = {
  id: sameAs<"id">("id"),
  uuid: sameAs<"id">("id"),
  slug: sameAs<"slug">("slug"),
  title: sameAs<"title">("title"),
  updated_at: sameAs<"updatedAt">("updatedAt"),
  created_at: sameAs<"createdAt">("createdAt"),
};

export const posts: Resource<ArticleField, ArticleRecord> = {
  name: "posts",
  singular: "post",
  filterFields: {
    ...postAndPageFilters,
    custom_excerpt: sameAs("dek"),
    featured: sameAs("isFeatured"),
    visibility: sameAs("accessLevel", toAccessLevel),
    published_at: sameAs("publishedAt"),
    tag: anyTag,
    tags: anyTag,
    "tags.slug": anyTag,
    primary_tag: sameAs("section"),
    "primary_tag.slug": sameAs("section"),
    author: sameAs("author"),
    authors: sameAs("author"),
    "authors.slug": sameAs("author"),
    primary_author: sameAs("primaryAuthor"),
    "primary_author.slug": sameAs("primaryAuthor"),
  },
  orderFields: {
    id: "id",
    slug: "slug",
    title: "title",
    featured: "isFeatured",
    published_at: "publishedAt",
    updated_at: "updatedAt",
    created_at: "createdAt",
  },
  defaultOrder: [
    { field: "publishedAt", direction: "desc" },
    { field: "updatedAt", direction: "desc" },
  ],
  includes: POST_INCLUDES,
  keys: { id: "id", slug: "slug" },
  list: (db, query, wants) => listArticlesMatching(db, query, bodyPartsFor(wants)),
  serialize: toGhostPost,
  // A list changes with any publish, edit or unpublish, all of which drop `feeds` (feeds are lists of articles
  // too); a read only with its own article.
  answerTags: (items, isList) => [...(isList ? [cacheTags.feeds] : []), ...items.map((a) => cacheTags.article(a.id))],
  schema: GhostPost,
};

export const pages: Resource<PageField, PageRecord> = {
  name: "pages",
  singular: "page",
  filterFields: { ...postAndPageFilters, published_at: sameAs("createdAt") },
  orderFields: {
    id: "id",
    slug: "slug",
    title: "title",
    published_at: "createdAt",
    updated_at: "updatedAt",
    created_at: "createdAt",
  },
  defaultOrder: [{ field: "title", direction: "asc" }],
  includes: POST_INCLUDES,
  keys: { id: "id", slug: "slug" },
  list: listPagesMatching,
  serialize: toGhostPage,
  // Static pages are made with the site and renamed with `site` dropped; nothing else changes them.
  answerTags: (items) => items.map((p) => cacheTags.page(p.id)),
  schema: GhostPost,
};

/** Tags and authors alike: found by id, slug or name, counted with `count.posts`. */
const namedResource = {
  filterFields: {
    id: sameAs<TopicField>("id"),
    slug: sameAs<TopicField>("slug"),
    name: sameAs<TopicField>("name"),
  },
  orderFields: { id: "id", slug: "slug", name: "name", "count.posts": "articleCount" } as Record<string, TopicField>,
  defaultOrder: [{ field: "name", direction: "asc" }] as CatalogOrder<TopicField>[],
  includes: { "count.posts": ["count"] },
  keys: { id: "id", slug: "slug" } as const,
  // Which tags and authors are listed, and their counts, follow publishing (`feeds`); renaming one drops `site`.
  answerTags: () => [cacheTags.feeds],
};

/** Every listed tag is public; `visibility:internal` asks for the kind tags, which are not listed. */
function publicOnly(c: FilterComparison): CatalogCondition<TopicField> {
  const values = c.op === "in" ? c.values : c.op === "eq" ? [c.value] : [];
  return { kind: values.includes("public") ? "all" : "any", conditions: [] };
}

export const tags: Resource<TopicField, TopicRecord> = {
  ...namedResource,
  name: "tags",
  singular: "tag",
  filterFields: { ...namedResource.filterFields, visibility: publicOnly },
  list: listTopicsMatching,
  serialize: toGhostTag,
  schema: GhostTag,
};

export const authors: Resource<AuthorField, AuthorRecord> = {
  ...namedResource,
  name: "authors",
  singular: "author",
  list: listAuthorsMatching,
  serialize: toGhostAuthor,
  schema: GhostAuthor,
};
