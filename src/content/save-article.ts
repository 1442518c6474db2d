/** Creating articles: the body is checked against the allow-list, rendered and split once, here. */
import { eq, sql } from "drizzle-orm";
import { type Db, queryRows, type Tx } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { Invalid } from "../shared/errors.js";
import { isValidSlug, slugify, uniqueSlug } from "../shared/slug.js";
import { accessDefaultFor } from "./access-defaults.js";
import { parseDocument } from "./document/parse-document.js";
import { renderBody } from "./document/render-html.js";
import { articleAuthors, articles, articleTags, sections, siteSettings, tags } from "./schema.js";
import type { AccessLevel, ArticleKind } from "./types.js";

export type ContentDeps = { db: Db; clock: Clock };

export type FeatureImageInput = { url: string; alt: string; caption?: string; credit?: string };

export type CreateArticleInput = {
  title: string;
  slug?: string;
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
  isBreaking?: boolean;
  isFeatured?: boolean;
  metaTitle?: string;
  metaDescription?: string;
  canonicalUrl?: string;
};

export async function createArticle(
  deps: ContentDeps,
  input: CreateArticleInput,
): Promise<{ id: string; slug: string }> {
  const title = input.title.trim();
  if (!title) throw new Invalid("TITLE_REQUIRED", "An article needs a headline", { property: "title" });
  if (input.authorIds.length === 0)
    throw new Invalid("AUTHOR_REQUIRED", "An article needs at least one author", { property: "authorIds" });
  if (input.slug !== undefined && !isValidSlug(input.slug)) {
    throw new Invalid(
      "INVALID_SLUG",
      "A slug has lowercase letters, digits and single hyphens, at most 120 characters",
      {
        property: "slug",
      },
    );
  }
  const doc = parseDocument(input.body);
  return deps.db.transaction(async (tx) => {
    const [section] = await tx.select({ id: sections.id }).from(sections).where(eq(sections.id, input.sectionId));
    if (!section) throw new Invalid("UNKNOWN_SECTION", "There is no such section", { property: "sectionId" });
    const [settings] = await tx.select({ previewParagraphs: siteSettings.previewParagraphs }).from(siteSettings);
    const rendered = renderBody(doc, settings?.previewParagraphs ?? 3);
    const inherited = await accessDefaultFor(tx, section.id, input.kind);
    const slug = await uniqueSlug(input.slug ?? slugify(title), (s) => articleSlugTaken(tx, s));
    const now = deps.clock.now();
    const [row] = await tx
      .insert(articles)
      .values({
        slug,
        title,
        dek: input.dek?.trim() ?? "",
        kind: input.kind,
        sectionId: section.id,
        status: "draft",
        bodyDoc: doc,
        ...rendered,
        featureImageUrl: input.featureImage?.url ?? null,
        featureImageAlt: input.featureImage?.alt ?? null,
        featureImageCaption: input.featureImage?.caption ?? null,
        featureImageCredit: input.featureImage?.credit ?? null,
        accessLevel: input.accessLevel ?? inherited.accessLevel,
        isMetered: input.isMetered ?? inherited.isMetered,
        isBreaking: input.isBreaking ?? false,
        isFeatured: input.isFeatured ?? false,
        metaTitle: input.metaTitle ?? null,
        metaDescription: input.metaDescription ?? null,
        canonicalUrl: input.canonicalUrl ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: articles.id, slug: articles.slug });
    if (!row) throw new Error("insert returned no row");
    await tx
      .insert(articleAuthors)
      .values(input.authorIds.map((staffId, position) => ({ articleId: row.id, staffId, position })));
    const tagIds = await findOrCreateTags(tx, input.tagNames ?? []);
    if (tagIds.length) {
      await tx.insert(articleTags).values(tagIds.map((tagId, position) => ({ articleId: row.id, tagId, position })));
    }
    return row;
  });
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
