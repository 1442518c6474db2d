/**
 * Creating and editing articles: the body is checked against the allow-list, rendered and split once, here.
 * Every save writes a revision; an edit made from an older version is refused, never merged or overwritten.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows, type Tx } from "../db/index.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { safeUrl } from "../shared/html.js";
import { isValidSlug, slugify, uniqueSlug } from "../shared/slug.js";
import { accessDefaultFor } from "./access-defaults.js";
import { refreshSearchVector } from "./derived.js";
import { requireAltText } from "./document/alt-text.js";
import type { ArticleDocument } from "./document/nodes.js";
import { parseDocument } from "./document/parse-document.js";
import { renderBody } from "./document/render-html.js";
import { noteFeedsChanged } from "./feed-pings.js";
import { tagsShowingArticle } from "./publish-article.js";
import {
  articleAuthors,
  articleRevisions,
  articles,
  articleTags,
  sections,
  siteSettings,
  staff,
  tags,
} from "./schema.js";
import type { AccessLevel, ArticleKind, CacheTag, ContentDeps } from "./types.js";
import { typesetFields } from "./typeset-fields.js";

export type FeatureImageInput = { url: string; alt: string; caption?: string; credit?: string };

/** What the editor sets on an article; a save sends all of it. */
export type ArticleFields = {
  title: string;
  dek?: string;
  kind: ArticleKind;
  sectionId: string;
  authorIds: string[];
  tagNames?: string[];
  /** TipTap/ProseMirror JSON; checked against the allow-list in document/nodes.ts. */
  body: unknown;
  featureImage?: FeatureImageInput;
  accessLevel?: AccessLevel;
  isMetered?: boolean;
  isFeatured?: boolean;
  metaTitle?: string;
  metaDescription?: string;
  socialTitle?: string;
  socialDescription?: string;
  canonicalUrl?: string;
  /** Syndicated or agency copy: who it comes from, credited under the byline. */
  sourceName?: string;
  /** The source's page for the piece (http or https), linked from the credit. Needs `sourceName`. */
  sourceUrl?: string;
  /**
   * The paper's typography applied on save (the default). Turned off, headline, dek and text are kept as typed,
   * so an editor can put back a straight quote or a plain hyphen that the typesetting changed.
   */
  smartTypography?: boolean;
};

const ARTICLE_SLUG_LOCK = 72_410_014;

export type CreateArticleInput = ArticleFields & { slug?: string; by?: string };

export async function createArticle(
  deps: ContentDeps,
  input: CreateArticleInput,
): Promise<{ id: string; slug: string; version: number }> {
  if (input.slug !== undefined && !isValidSlug(input.slug)) {
    throw new Invalid(
      "INVALID_SLUG",
      "A slug has lowercase letters, digits and single hyphens, at most 120 characters",
      {
        property: "slug",
      },
    );
  }
  const fields = normalizeFields(input);
  return deps.db.transaction(async (tx) => {
    const resolved = await withInheritedAccess(tx, await typesetFields(tx, fields));
    const values = await prepareValues(tx, resolved);
    // Creations take turns choosing a slug: two at once with one headline would otherwise both find it free,
    // and the second would fail on the unique index.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${ARTICLE_SLUG_LOCK})`);
    const slug = await uniqueSlug(input.slug ?? slugify(fields.title), (s) => articleSlugTaken(tx, s));
    const now = deps.clock.now();
    const [row] = await tx
      .insert(articles)
      .values({ ...values, slug, status: "draft", createdAt: now, updatedAt: now })
      .returning({ id: articles.id, slug: articles.slug, version: articles.version });
    if (!row) throw new Error("insert returned no row");
    await setAuthorsAndTags(tx, row.id, fields);
    await recordRevision(tx, { articleId: row.id, version: row.version, fields: resolved, by: input.by, at: now });
    return row;
  });
}

export type EditArticleInput = { id: string; baseVersion: number; fields: ArticleFields; by?: string };
export type EditArticleResult =
  | { kind: "saved"; version: number; invalidates: CacheTag[] }
  | { kind: "conflict"; current: ArticleFields & { version: number } };

/** Saves the editor's fields if nobody saved since `baseVersion`; otherwise answers with what they saved. */
export async function editArticle(deps: ContentDeps, input: EditArticleInput): Promise<EditArticleResult> {
  const fields = normalizeFields(input.fields);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ version: articles.version, status: articles.status, sectionId: articles.sectionId })
      .from(articles)
      .where(eq(articles.id, input.id))
      .for("update");
    if (!row) throw new NotFound("ARTICLE_NOT_FOUND", `No article with id ${input.id}`);
    if (row.version !== input.baseVersion) {
      return { kind: "conflict", current: { ...(await readArticleFields(tx, input.id)), version: row.version } };
    }
    // What readers see (or will at the scheduled time) keeps the publishing rule: every image described.
    if (row.status === "published" || row.status === "scheduled") requireAltText(fields.body, fields.featureImage);
    const before = row.status === "published" ? await tagsShowingArticle(tx, input.id, row.sectionId) : [];
    const resolved = await withInheritedAccess(tx, await typesetFields(tx, fields));
    const values = await prepareValues(tx, resolved);
    const now = deps.clock.now();
    const version = row.version + 1;
    await tx
      .update(articles)
      .set({ ...values, version, updatedAt: now })
      .where(eq(articles.id, input.id));
    await tx.delete(articleAuthors).where(eq(articleAuthors.articleId, input.id));
    await tx.delete(articleTags).where(eq(articleTags.articleId, input.id));
    await setAuthorsAndTags(tx, input.id, fields);
    await recordRevision(tx, { articleId: input.id, version, fields: resolved, by: input.by, at: now });
    if (row.status !== "published") return { kind: "saved", version, invalidates: [] };
    await refreshSearchVector(tx, input.id);
    // The listings it left (an old section, a dropped tag) are told as well as those it is in now.
    await noteFeedsChanged(tx, { articleIds: [input.id], listingTags: before });
    // The pages that showed it before (an old section, a dropped tag) and the ones that show it now.
    const after = await tagsShowingArticle(tx, input.id, values.sectionId);
    return { kind: "saved", version, invalidates: [...new Set([...before, ...after])] };
  });
}

/** The editable fields as they are stored now, in the shape a save sends. */
export async function readArticleFields(db: Tx | Db, id: string): Promise<ArticleFields> {
  const [row] = await db.select().from(articles).where(eq(articles.id, id));
  if (!row) throw new NotFound("ARTICLE_NOT_FOUND", `No article with id ${id}`);
  const authorRows = await db
    .select({ id: articleAuthors.staffId })
    .from(articleAuthors)
    .where(eq(articleAuthors.articleId, id))
    .orderBy(articleAuthors.position);
  const tagRows = await db
    .select({ name: tags.name })
    .from(articleTags)
    .innerJoin(tags, eq(tags.id, articleTags.tagId))
    .where(eq(articleTags.articleId, id))
    .orderBy(articleTags.position);
  return normalizeFields({
    title: row.title,
    dek: row.dek,
    kind: row.kind,
    sectionId: row.sectionId,
    authorIds: authorRows.map((a) => a.id),
    tagNames: tagRows.map((t) => t.name),
    body: row.bodyDoc,
    ...(row.featureImageUrl
      ? {
          featureImage: {
            url: row.featureImageUrl,
            alt: row.featureImageAlt ?? "",
            ...(row.featureImageCaption ? { caption: row.featureImageCaption } : {}),
            ...(row.featureImageCredit ? { credit: row.featureImageCredit } : {}),
          },
        }
      : {}),
    accessLevel: row.accessLevel,
    isMetered: row.isMetered,
    isFeatured: row.isFeatured,
    smartTypography: row.smartTypography,
    ...optional("metaTitle", row.metaTitle),
    ...optional("metaDescription", row.metaDescription),
    ...optional("socialTitle", row.socialTitle),
    ...optional("socialDescription", row.socialDescription),
    ...optional("canonicalUrl", row.canonicalUrl),
    ...optional("sourceName", row.sourceName),
    ...optional("sourceUrl", row.sourceUrl),
  });
}

function optional<K extends string>(key: K, value: string | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Trims and fills defaults, so a stored revision compares equal to the same fields sent again. */
function normalizeFields(input: ArticleFields): ArticleFields & { body: ArticleDocument } {
  const title = input.title.trim();
  if (!title) throw new Invalid("TITLE_REQUIRED", "An article needs a headline", { property: "title" });
  if (input.authorIds.length === 0) {
    throw new Invalid("AUTHOR_REQUIRED", "An article needs at least one author", { property: "authorIds" });
  }
  if (new Set(input.authorIds).size !== input.authorIds.length) {
    throw new Invalid("AUTHOR_REPEATED", "Each author is listed once", { property: "authorIds" });
  }
  checkLink(input.featureImage?.url, "featureImage.url");
  checkLink(input.canonicalUrl, "canonicalUrl");
  const source = normalizeSource(input.sourceName, input.sourceUrl);
  return {
    title,
    dek: input.dek?.trim() ?? "",
    kind: input.kind,
    sectionId: input.sectionId,
    authorIds: input.authorIds,
    tagNames: (input.tagNames ?? []).map((t) => t.trim()).filter(Boolean),
    body: parseDocument(input.body),
    ...(input.featureImage ? { featureImage: input.featureImage } : {}),
    // Left out, they come from the defaults for the article's kind and section (withInheritedAccess).
    ...(input.accessLevel ? { accessLevel: input.accessLevel } : {}),
    ...(input.isMetered !== undefined ? { isMetered: input.isMetered } : {}),
    isFeatured: input.isFeatured ?? false,
    ...(input.metaTitle ? { metaTitle: input.metaTitle } : {}),
    ...(input.metaDescription ? { metaDescription: input.metaDescription } : {}),
    ...(input.socialTitle ? { socialTitle: input.socialTitle } : {}),
    ...(input.socialDescription ? { socialDescription: input.socialDescription } : {}),
    ...(input.canonicalUrl ? { canonicalUrl: input.canonicalUrl } : {}),
    ...source,
    smartTypography: input.smartTypography ?? true,
  };
}

const SOURCE_NAME_MAX = 200;
const SOURCE_URL_MAX = 2000;

/** A source is named; its link, if any, is an http(s) address elsewhere (an agency's page, not a path here). */
function normalizeSource(
  name: string | undefined,
  url: string | undefined,
): Pick<ArticleFields, "sourceName" | "sourceUrl"> {
  const sourceName = name?.trim() ?? "";
  const sourceUrl = url?.trim() ?? "";
  if (sourceName.length > SOURCE_NAME_MAX) {
    throw new Invalid("SOURCE_NAME_TOO_LONG", `A source's name has at most ${SOURCE_NAME_MAX} characters`, {
      property: "sourceName",
    });
  }
  if (!sourceUrl) return sourceName ? { sourceName } : {};
  if (!sourceName) {
    throw new Invalid("SOURCE_NAME_REQUIRED", "Name the source the link points to", { property: "sourceName" });
  }
  if (sourceUrl.length > SOURCE_URL_MAX || !/^https?:\/\/[^\s/]/i.test(sourceUrl) || !safeUrl(sourceUrl)) {
    throw new Invalid(
      "INVALID_URL",
      `Use an address starting with https:// or http://, at most ${SOURCE_URL_MAX} characters`,
      {
        property: "sourceUrl",
      },
    );
  }
  return { sourceName, sourceUrl };
}

/** Addresses that end up in pages must be http(s) or on this site: never javascript: or data:. */
function checkLink(url: string | undefined, property: string): void {
  if (url !== undefined && !safeUrl(url)?.match(/^(https?:|\/)/)) {
    throw new Invalid("INVALID_URL", "Use an address starting with https://, http:// or /", { property });
  }
}

/** Checks what only the database can (section and authors exist) and renders the body into columns. */
type ResolvedFields = ArticleFields & { body: ArticleDocument } & Required<
    Pick<ArticleFields, "accessLevel" | "isMetered">
  >;

/** Access left out of a save comes from the defaults for the article's kind and section. */
async function withInheritedAccess(tx: Tx, fields: ArticleFields & { body: ArticleDocument }): Promise<ResolvedFields> {
  if (fields.accessLevel !== undefined && fields.isMetered !== undefined) {
    return { ...fields, accessLevel: fields.accessLevel, isMetered: fields.isMetered };
  }
  const inherited = await accessDefaultFor(tx, fields.sectionId, fields.kind);
  return {
    ...fields,
    accessLevel: fields.accessLevel ?? inherited.accessLevel,
    isMetered: fields.isMetered ?? inherited.isMetered,
  };
}

async function prepareValues(tx: Tx, fields: ResolvedFields) {
  const [section] = await tx.select({ id: sections.id }).from(sections).where(eq(sections.id, fields.sectionId));
  if (!section) throw new Invalid("UNKNOWN_SECTION", "There is no such section", { property: "sectionId" });
  const known = await tx.select({ id: staff.id }).from(staff).where(inArray(staff.id, fields.authorIds));
  if (known.length !== fields.authorIds.length) {
    throw new Invalid("UNKNOWN_AUTHOR", "An author is not a staff member", { property: "authorIds" });
  }
  const [settings] = await tx.select({ previewParagraphs: siteSettings.previewParagraphs }).from(siteSettings);
  const rendered = renderBody(fields.body, settings?.previewParagraphs ?? 3);
  return {
    title: fields.title,
    dek: fields.dek ?? "",
    kind: fields.kind,
    sectionId: section.id,
    bodyDoc: fields.body,
    ...rendered,
    featureImageUrl: fields.featureImage?.url ?? null,
    featureImageAlt: fields.featureImage?.alt ?? null,
    featureImageCaption: fields.featureImage?.caption ?? null,
    featureImageCredit: fields.featureImage?.credit ?? null,
    accessLevel: fields.accessLevel,
    isMetered: fields.isMetered,
    isFeatured: fields.isFeatured ?? false,
    metaTitle: fields.metaTitle ?? null,
    metaDescription: fields.metaDescription ?? null,
    socialTitle: fields.socialTitle ?? null,
    socialDescription: fields.socialDescription ?? null,
    canonicalUrl: fields.canonicalUrl ?? null,
    sourceName: fields.sourceName ?? null,
    sourceUrl: fields.sourceUrl ?? null,
    smartTypography: fields.smartTypography ?? true,
  };
}

async function setAuthorsAndTags(tx: Tx, articleId: string, fields: ArticleFields): Promise<void> {
  await tx
    .insert(articleAuthors)
    .values(fields.authorIds.map((staffId, position) => ({ articleId, staffId, position })));
  const tagIds = await findOrCreateTags(tx, fields.tagNames ?? []);
  if (tagIds.length) {
    await tx.insert(articleTags).values(tagIds.map((tagId, position) => ({ articleId, tagId, position })));
  }
}

async function recordRevision(
  tx: Tx,
  input: { articleId: string; version: number; fields: ArticleFields; by: string | undefined; at: Date },
): Promise<void> {
  await tx.insert(articleRevisions).values({
    articleId: input.articleId,
    version: input.version,
    fields: input.fields,
    savedBy: input.by ?? null,
    createdAt: input.at,
  });
}

export type Revision = { version: number; savedBy: string | null; createdAt: Date };

export async function listRevisions(db: Db, articleId: string): Promise<Revision[]> {
  return db
    .select({
      version: articleRevisions.version,
      savedBy: articleRevisions.savedBy,
      createdAt: articleRevisions.createdAt,
    })
    .from(articleRevisions)
    .where(eq(articleRevisions.articleId, articleId))
    .orderBy(sql`${articleRevisions.version} DESC`);
}

export async function getRevision(db: Db, input: { articleId: string; version: number }): Promise<ArticleFields> {
  const [row] = await db
    .select({ fields: articleRevisions.fields })
    .from(articleRevisions)
    .where(and(eq(articleRevisions.articleId, input.articleId), eq(articleRevisions.version, input.version)));
  if (!row) {
    throw new NotFound("REVISION_NOT_FOUND", `Article ${input.articleId} has no revision ${input.version}`, {
      property: "version",
    });
  }
  return row.fields as ArticleFields;
}

async function articleSlugTaken(tx: Tx, slug: string): Promise<boolean> {
  const found = await queryRows(
    tx,
    sql`SELECT 1 FROM articles WHERE slug = ${slug} UNION ALL SELECT 1 FROM slug_redirects WHERE owner = 'article' AND old_slug = ${slug}`,
  );
  return found.length > 0;
}

/** Tag ids for names, in order, creating the tags that do not exist yet (matched case-insensitively). */
export async function findOrCreateTags(tx: Tx, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    if (name.length > 80)
      throw new Invalid("TAG_TOO_LONG", "A tag name is at most 80 characters", { property: "tagNames" });
    const [existing] = await tx.select({ id: tags.id }).from(tags).where(sql`lower(${tags.name}) = lower(${name})`);
    if (existing) {
      if (!ids.includes(existing.id)) ids.push(existing.id);
      continue;
    }
    const slug = await uniqueSlug(slugify(name), async (s) => {
      const taken = await tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, s));
      return taken.length > 0;
    });
    const [created] = await tx.insert(tags).values({ name, slug }).returning({ id: tags.id });
    if (created) ids.push(created.id);
  }
  return ids;
}
