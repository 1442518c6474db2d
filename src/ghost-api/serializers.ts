/** Broadsheet's articles, pages, topics and authors in the shape of Ghost's posts, pages, tags and authors. */
import { createHash } from "node:crypto";
import type {
  AccessLevel,
  ArticleKind,
  ArticleRecord,
  AuthorRecord,
  ImageRef,
  PageRecord,
  TopicRecord,
} from "../content/index.js";
import { decideAccess } from "../paywall/index.js";
import { absoluteUrls, escapeHtml } from "../shared/html.js";
import { ghostAuthorAccounts } from "./author-accounts.js";
import type { Format } from "./query-options.js";
import type { GhostAuthorObject, GhostPostObject, GhostTagObject } from "./response-schemas.js";

/** What every object of one response is rendered with. */
export type SerializeContext = {
  publicUrl: string;
  /** ISO 8601 with the site's UTC offset, at whole seconds (`.000`), as Ghost stores and writes dates. */
  date: (at: Date) => string;
  includes: ReadonlySet<string>;
  formats: ReadonlySet<Format>;
};

/** Ghost's name for each access level. */
export const VISIBILITY: Record<AccessLevel, string> = { public: "public", registered: "members", paid: "paid" };

/** Ghost's ids are 24 hex characters; things Broadsheet has no row for (kind tags, tiers) get a stable one. */
export function stableId(name: string): string {
  return createHash("sha1").update(name).digest("hex").slice(0, 24);
}

/** A UUID for something Broadsheet has no row for (the default newsletter, the site), the same every time. */
export function stableUuid(name: string): string {
  const hex = createHash("sha1").update(name).digest("hex");
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Ghost clients recognise an internal tag by its `#` name and `hash-` slug. */
export const KIND_TAG_SLUG_PREFIX = "hash-";

export function dateFormatter(timeZone: string): (at: Date) => string {
  const format = offsetFormat(timeZone);
  return (at) => {
    const name = format?.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    const minutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
    const seconds = Math.floor(at.getTime() / 1000) * 1000;
    const local = new Date(seconds + minutes * 60_000).toISOString().slice(0, 23);
    return `${local}${match ? `${match[1]}${match[2]}:${match[3]}` : "+00:00"}`;
  };
}

// Making a formatter costs more than formatting every date of a page: one per time zone, kept.
const offsetFormats = new Map<string, Intl.DateTimeFormat | undefined>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat | undefined {
  if (offsetFormats.has(timeZone)) return offsetFormats.get(timeZone);
  let format: Intl.DateTimeFormat | undefined;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  } catch {
    format = undefined; // an unknown zone in the settings: dates go out in UTC
  }
  offsetFormats.set(timeZone, format);
  return format;
}

export function toGhostPost(article: ArticleRecord, ctx: SerializeContext): GhostPostObject {
  const body = readableBody(article);
  // Ghost counts the whole article, whoever asks: the length of the gated part goes out, never its words.
  const readingTime = ghostReadingMinutes(article.previewHtml + article.gatedHtml, article.image !== null);
  const social = article.seo.socialImageUrl ? absolute(ctx, article.seo.socialImageUrl) : null;
  return postShape(ctx, {
    ...body,
    id: article.id,
    title: article.title,
    slug: article.slug,
    image: article.image,
    featured: article.isFeatured,
    visibility: VISIBILITY[article.accessLevel],
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    publishedAt: article.publishedAt,
    customExcerpt: article.dek || null,
    canonicalUrl: article.seo.canonicalUrl,
    url: absolute(ctx, article.path),
    social: { image: social, title: article.seo.socialTitle, description: article.seo.socialDescription },
    meta: { title: article.seo.metaTitle, description: article.seo.metaDescription },
    // The section is the primary tag; the kind travels as an internal tag, as Ghost themes expect.
    tags: [
      toGhostTag({ ...article.section, origin: "section" }, ctx),
      ...article.tags.map((t) => toGhostTag({ ...t, origin: "tag" }, ctx)),
      kindTag(article.kind, ctx),
    ],
    authors: article.authors.map((a) => toGhostAuthor(a, ctx)),
    readingTime,
  });
}

export function toGhostPage(page: PageRecord, ctx: SerializeContext): GhostPostObject {
  return {
    ...postShape(ctx, {
      id: page.id,
      title: page.title,
      slug: page.slug,
      html: page.html,
      plaintext: page.plaintext,
      access: true,
      image: null,
      featured: false,
      visibility: "public",
      createdAt: page.createdAt,
      updatedAt: page.updatedAt,
      publishedAt: page.createdAt,
      customExcerpt: null,
      canonicalUrl: null,
      url: absolute(ctx, `/${page.slug}`),
      social: { image: null, title: null, description: null },
      meta: { title: null, description: page.metaDescription },
      tags: [],
      authors: [],
      readingTime: ghostReadingMinutes(page.html, false),
    }),
    show_title_and_feature_image: true,
  };
}

/**
 * What a reader with only the API key may read: the paywall decides, exactly as for an anonymous visitor.
 * This is the one place here that touches the gated part.
 */
function readableBody(article: ArticleRecord): { html: string; plaintext: string; access: boolean } {
  const outcome = decideAccess({ kind: "anonymous" }, article);
  if (outcome.kind !== "full") return { html: article.previewHtml, plaintext: article.previewText, access: false };
  return {
    html: article.previewHtml + article.gatedHtml,
    plaintext: [article.previewText, article.gatedText].filter(Boolean).join("\n\n"),
    access: true,
  };
}

type PostSource = {
  id: string;
  title: string;
  slug: string;
  html: string;
  plaintext: string;
  access: boolean;
  image: ImageRef | null;
  featured: boolean;
  visibility: string;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date;
  customExcerpt: string | null;
  canonicalUrl: string | null;
  url: string;
  social: { image: string | null; title: string | null; description: string | null };
  meta: { title: string | null; description: string | null };
  tags: GhostTagObject[];
  authors: GhostAuthorObject[];
  readingTime: number;
};

function postShape(ctx: SerializeContext, p: PostSource): GhostPostObject {
  const primaryTag = p.tags[0]?.visibility === "public" ? p.tags[0] : null;
  return {
    id: p.id,
    uuid: p.id,
    title: p.title,
    slug: p.slug,
    ...(ctx.formats.has("html") ? { html: absoluteUrls(p.html, ctx.publicUrl) } : {}),
    ...(ctx.formats.has("plaintext") ? { plaintext: p.plaintext } : {}),
    comment_id: p.id,
    feature_image: p.image ? absolute(ctx, p.image.url) : null,
    feature_image_alt: p.image?.alt || null,
    feature_image_caption: captionHtml(p.image),
    featured: p.featured,
    visibility: p.visibility,
    created_at: ctx.date(p.createdAt),
    updated_at: ctx.date(p.updatedAt),
    published_at: ctx.date(p.publishedAt),
    custom_excerpt: p.customExcerpt,
    codeinjection_head: null,
    codeinjection_foot: null,
    custom_template: null,
    canonical_url: p.canonicalUrl,
    ...(ctx.includes.has("tags") ? { tags: p.tags, primary_tag: primaryTag } : {}),
    ...(ctx.includes.has("authors") ? { authors: p.authors, primary_author: p.authors[0] ?? null } : {}),
    url: p.url,
    excerpt: p.customExcerpt ?? p.plaintext.replace(/\s+/g, " ").trim().slice(0, 500),
    reading_time: p.readingTime,
    access: p.access,
    comments: false,
    og_image: p.social.image,
    og_title: p.social.title,
    og_description: p.social.description,
    twitter_image: p.social.image,
    twitter_title: p.social.title,
    twitter_description: p.social.description,
    meta_title: p.meta.title,
    meta_description: p.meta.description,
    email_subject: null,
    frontmatter: null,
  };
}

type TopicInput = Pick<TopicRecord, "origin" | "id" | "slug" | "name" | "description"> & { articleCount?: number };

export function toGhostTag(topic: TopicInput, ctx: SerializeContext): GhostTagObject {
  return tagShape(ctx, {
    id: topic.id,
    name: topic.name,
    slug: topic.slug,
    description: topic.description || null,
    visibility: "public",
    url: absolute(ctx, `/${topic.origin}/${topic.slug}`),
    articleCount: topic.articleCount,
  });
}

function kindTag(kind: ArticleKind, ctx: SerializeContext): GhostTagObject {
  return tagShape(ctx, {
    id: stableId(`kind:${kind}`),
    name: `#${kind}`,
    slug: `${KIND_TAG_SLUG_PREFIX}${kind}`,
    description: null,
    visibility: "internal",
    // Internal tags have no page of their own; Ghost points them at its 404.
    url: absolute(ctx, "/404/"),
  });
}

type TagSource = {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  visibility: string;
  url: string;
  articleCount?: number | undefined;
};

function tagShape(ctx: SerializeContext, t: TagSource): GhostTagObject {
  return {
    id: t.id,
    name: t.name,
    slug: t.slug,
    description: t.description,
    feature_image: null,
    visibility: t.visibility,
    og_image: null,
    og_title: null,
    og_description: null,
    twitter_image: null,
    twitter_title: null,
    twitter_description: null,
    meta_title: null,
    meta_description: null,
    codeinjection_head: null,
    codeinjection_foot: null,
    canonical_url: null,
    accent_color: null,
    url: t.url,
    ...countOf(ctx, t.articleCount),
  };
}

export function toGhostAuthor(
  author: Omit<AuthorRecord, "articleCount"> & { articleCount?: number },
  ctx: SerializeContext,
): GhostAuthorObject {
  return {
    id: author.id,
    name: author.name,
    slug: author.slug,
    profile_image: author.avatarUrl ? absolute(ctx, author.avatarUrl) : null,
    cover_image: null,
    bio: author.bio || null,
    location: null,
    ...ghostAuthorAccounts(author),
    meta_title: null,
    meta_description: null,
    url: absolute(ctx, `/author/${author.slug}`),
    ...countOf(ctx, author.articleCount),
  };
}

function countOf(ctx: SerializeContext, articleCount: number | undefined) {
  return ctx.includes.has("count.posts") && articleCount !== undefined ? { count: { posts: articleCount } } : {};
}

export function absolute(ctx: { publicUrl: string }, url: string): string {
  return new URL(url, `${ctx.publicUrl}/`).href;
}

function captionHtml(image: ImageRef | null): string | null {
  const parts = [image?.caption, image?.credit].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.map(escapeHtml).join(" ") : null;
}

// Ghost's word: a run of ASCII or Latin-1 letters, digits and underscores, Greek or Cyrillic letters; a run of
// CJK characters counts one word per character. (So "Zəngəzur" is two words to Ghost, and to this count.)
const GHOST_WORD =
  /[a-zA-Z\u00c0-\u00ff0-9_\u0392-\u03c9\u0410-\u04f9]+|[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\u3040-\u309f\uac00-\ud7af]+/g;

/**
 * Ghost's reading time, from the whole body's HTML: 275 words a minute, then 12 seconds for the first image,
 * 11 for the second and so on down to 3 each (the feature image counts as one), rounded to whole minutes.
 */
export function ghostReadingMinutes(html: string, hasFeatureImage: boolean): number {
  const images = (html.match(/<img\b[^>]*>/g)?.length ?? 0) + (hasFeatureImage ? 1 : 0);
  let words = 0;
  for (const run of html.replace(/<[^>]*>/g, " ").match(GHOST_WORD) ?? []) {
    words += run.charCodeAt(0) >= 0x4e00 ? run.length : 1;
  }
  let seconds = (words / 275) * 60;
  for (let i = 0; i < images; i++) seconds += Math.max(12 - i, 3);
  return Math.round(seconds / 60);
}
