import { eq, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { NotFound } from "../shared/errors.js";
import { chooseRelated, refreshSearchVector } from "./derived.js";
import type { ContentDeps } from "./save-article.js";
import { articles } from "./schema.js";
import { type CacheTag, cacheTags } from "./types.js";

export type PublishInput = { id: string; at?: Date };
export type PublishResult = { status: "published" | "scheduled"; invalidates: CacheTag[] };

/**
 * Publishes now, or at `at`: a future time schedules it, a past one backdates it. Publishing a published
 * article again changes nothing. Returns the cache tags of every page that now shows something new.
 */
export async function publishArticle(deps: ContentDeps, input: PublishInput): Promise<PublishResult> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(articles).where(eq(articles.id, input.id)).for("update");
    if (!row) throw new NotFound("ARTICLE_NOT_FOUND", `No article with id ${input.id}`);
    if (row.status === "published") return { status: "published", invalidates: [] };
    const now = deps.clock.now();
    const when = input.at ?? now;
    const status = when > now ? "scheduled" : "published";
    await tx
      .update(articles)
      .set({
        status,
        publishedAt: when,
        firstPublishedAt: row.firstPublishedAt ?? (status === "published" ? when : null),
        updatedAt: status === "published" ? when : now,
        version: row.version + 1,
      })
      .where(eq(articles.id, row.id));
    if (status === "scheduled") return { status, invalidates: [] };
    await refreshSearchVector(tx, row.id);
    // A new article also enters the related lists of the articles it relates to.
    const neighbours = await chooseRelated(tx, row.id);
    for (const neighbour of neighbours) await chooseRelated(tx, neighbour);
    const invalidates = await tagsShowingArticle(tx, row.id, row.sectionId);
    return { status, invalidates: [...invalidates, ...neighbours.map(cacheTags.articlePage)] };
  });
}

/** The pages that list or show an article: its own, its section's, its tags', its authors', the home page, feeds. */
export async function tagsShowingArticle(db: Queryable, id: string, sectionId: string): Promise<CacheTag[]> {
  const related = await queryRows<{ kind: string; ref: string }>(
    db,
    sql`SELECT 'tag' AS kind, tag_id::text AS ref FROM article_tags WHERE article_id = ${id}
        UNION ALL SELECT 'author', staff_id::text FROM article_authors WHERE article_id = ${id}`,
  );
  return [
    cacheTags.article(id),
    cacheTags.section(sectionId),
    cacheTags.home,
    cacheTags.feeds,
    cacheTags.notFound,
    ...related.map((r) => (r.kind === "tag" ? cacheTags.tag(r.ref) : cacheTags.author(r.ref))),
  ];
}
