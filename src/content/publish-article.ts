/** The article workflow: draft → in review → scheduled or published, and back to draft by unpublishing. */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { type Queryable, queryRows, type Tx } from "../db/index.js";
import { Conflict, Invalid, NotFound } from "../shared/errors.js";
import { chooseRelated, refreshSearchVector, refreshSuggestionWords } from "./derived.js";
import { requireAltText } from "./document/alt-text.js";
import type { ArticleDocument } from "./document/nodes.js";
import { noteFeedsChanged } from "./feed-pings.js";
import { articleCorrections, articles } from "./schema.js";
import type { ContentDeps } from "./types.js";
import { type ArticleStatus, type CacheTag, cacheTags } from "./types.js";

export type PublishInput = { id: string; at?: Date };
export type PublishResult = { status: "published" | "scheduled"; version: number; invalidates: CacheTag[] };
export type WorkflowResult = { status: ArticleStatus; version: number; invalidates: CacheTag[] };

/**
 * Publishes now, or at `at`: a future time schedules it, a past one backdates it. Publishing a published
 * article again changes nothing. An image without alt text stops it (400, naming the image). Returns the cache tags of every page that now shows something new.
 */
export async function publishArticle(deps: ContentDeps, input: PublishInput): Promise<PublishResult> {
  return deps.db.transaction(async (tx) => {
    const { status, version, live } = await markPublished(tx, deps, input);
    if (!live) return { status, version, invalidates: [] };
    await noteFeedsChanged(tx, { articleIds: [live.id] });
    return { status, version, invalidates: await deriveOnGoingLive(tx, [live]) };
  });
}

/**
 * Publishes several articles in one transaction (the demo paper), each as publishArticle would; what going live
 * derives is worked out once for all of them rather than after each, which chose every related list again up to
 * seven times over. Returns the cache tags of every page that now shows something new. A new paper's first
 * articles have no feed subscribers yet: no hub is told of them.
 */
export async function publishArticles(deps: ContentDeps, inputs: PublishInput[]): Promise<CacheTag[]> {
  return deps.db.transaction(async (tx) => {
    const live: LiveArticle[] = [];
    for (const input of inputs) {
      const marked = await markPublished(tx, deps, input);
      if (marked.live) live.push(marked.live);
    }
    return deriveOnGoingLive(tx, live);
  });
}

type LiveArticle = { id: string; sectionId: string };

/** The status change of publishing; `live` when the article is on the site now (not scheduled, not already). */
async function markPublished(tx: Tx, deps: ContentDeps, input: PublishInput) {
  const row = await lockArticle(tx, input.id);
  if (row.status === "published") return { status: "published" as const, version: row.version, live: undefined };
  requireAltText(
    row.bodyDoc as ArticleDocument,
    row.featureImageUrl ? { url: row.featureImageUrl, alt: row.featureImageAlt } : undefined,
  );
  const now = deps.clock.now();
  const when = input.at ?? now;
  const status = when > now ? ("scheduled" as const) : ("published" as const);
  const version = row.version + 1;
  await tx
    .update(articles)
    .set({
      status,
      publishedAt: when,
      firstPublishedAt: row.firstPublishedAt ?? (status === "published" ? when : null),
      updatedAt: status === "published" ? when : now,
      version,
    })
    .where(eq(articles.id, row.id));
  const live: LiveArticle | undefined = status === "published" ? { id: row.id, sectionId: row.sectionId } : undefined;
  return { status, version, live };
}

/**
 * Publishes every scheduled article whose time has come, each exactly once: the conditional UPDATE takes a
 * row only while it is still 'scheduled', so a second process running at the same moment finds nothing left.
 */
export async function publishDueArticles(deps: ContentDeps): Promise<{ ids: string[]; invalidates: CacheTag[] }> {
  return deps.db.transaction(async (tx) => {
    const due = await tx
      .update(articles)
      .set({
        status: "published",
        firstPublishedAt: sql`coalesce(${articles.firstPublishedAt}, ${articles.publishedAt})`,
        updatedAt: sql`${articles.publishedAt}`,
        version: sql`${articles.version} + 1`,
      })
      .where(and(eq(articles.status, "scheduled"), lte(articles.publishedAt, deps.clock.now())))
      .returning({ id: articles.id, sectionId: articles.sectionId });
    const ids = due.map((r) => r.id);
    await noteFeedsChanged(tx, { articleIds: ids });
    return { ids, invalidates: await deriveOnGoingLive(tx, due) };
  });
}

/** A draft goes to the editors. */
export async function submitForReview(deps: ContentDeps, id: string): Promise<WorkflowResult> {
  return moveStatus(deps, { id, from: ["draft"], to: "in_review" });
}

/** A published or scheduled article goes back to draft: off the site, out of the schedule. */
export async function unpublishArticle(deps: ContentDeps, id: string): Promise<WorkflowResult> {
  return moveStatus(deps, { id, from: ["published", "scheduled"], to: "draft" });
}

async function moveStatus(
  deps: ContentDeps,
  input: { id: string; from: ArticleStatus[]; to: ArticleStatus },
): Promise<WorkflowResult> {
  return deps.db.transaction(async (tx) => {
    const row = await lockArticle(tx, input.id);
    if (!input.from.includes(row.status)) {
      throw new Conflict("WRONG_STATUS", `This article is ${row.status.replace("_", " ")}`, {
        property: "status",
        help: `Only an article that is ${input.from.join(" or ").replace("_", " ")} can be moved to ${input.to.replace("_", " ")}`,
      });
    }
    // Pages showed it while it was published: they must drop it, so collect their tags before it goes.
    const invalidates = row.status === "published" ? await tagsShowingArticle(tx, row.id, row.sectionId) : [];
    const version = row.version + 1;
    await tx
      .update(articles)
      .set({ status: input.to, version, updatedAt: deps.clock.now() })
      .where(eq(articles.id, row.id));
    if (row.status === "published") {
      // Its feeds drop it: the listings it was in are named, since it is no longer listed anywhere.
      await noteFeedsChanged(tx, { listingTags: invalidates });
      // Off the site, its words leave the suggestions unless another published article holds them.
      await refreshSuggestionWords(tx, row.id);
    }
    return { status: input.to, version, invalidates };
  });
}

export type CorrectionInput = { articleId: string; kind: "correction" | "update"; note: string; by?: string };

/** Appends a dated note to a published article; its pages show it from now on. */
export async function appendCorrection(
  deps: ContentDeps,
  input: CorrectionInput,
): Promise<{ correction: Correction; invalidates: CacheTag[] }> {
  const note = input.note.trim();
  if (!note) throw new Invalid("NOTE_REQUIRED", "Write what was corrected or updated", { property: "note" });
  return deps.db.transaction(async (tx) => {
    const row = await lockArticle(tx, input.articleId);
    if (row.status !== "published") {
      throw new Conflict("NOT_PUBLISHED", "Only a published article gets correction or update notes", {
        help: "Edit the draft instead: readers have not seen it",
      });
    }
    const [correction] = await tx
      .insert(articleCorrections)
      .values({ articleId: row.id, kind: input.kind, note, createdBy: input.by ?? null, createdAt: deps.clock.now() })
      .returning({
        id: articleCorrections.id,
        kind: articleCorrections.kind,
        note: articleCorrections.note,
        createdAt: articleCorrections.createdAt,
      });
    if (!correction) throw new Error("insert returned no row");
    await noteFeedsChanged(tx, { articleIds: [row.id] });
    return { correction, invalidates: [cacheTags.article(row.id), cacheTags.feeds] };
  });
}

export type Correction = { id: string; kind: "correction" | "update"; note: string; createdAt: Date };

export async function listCorrections(db: Queryable, articleIds: string[]): Promise<Map<string, Correction[]>> {
  const found = new Map<string, Correction[]>();
  if (!articleIds.length) return found;
  const rows = await db
    .select()
    .from(articleCorrections)
    .where(inArray(articleCorrections.articleId, articleIds))
    .orderBy(articleCorrections.createdAt);
  for (const r of rows) {
    const list = found.get(r.articleId) ?? [];
    list.push({ id: r.id, kind: r.kind, note: r.note, createdAt: r.createdAt });
    found.set(r.articleId, list);
  }
  return found;
}

async function lockArticle(tx: Tx, id: string) {
  const [row] = await tx.select().from(articles).where(eq(articles.id, id)).for("update");
  if (!row) throw new NotFound("ARTICLE_NOT_FOUND", `No article with id ${id}`);
  return row;
}

/**
 * What going live derives (search vectors, related lists) for articles that went live together, and the pages
 * that now show them. Each list is chosen once: the new articles' own, then those of the articles they relate to.
 */
async function deriveOnGoingLive(tx: Tx, live: LiveArticle[]): Promise<CacheTag[]> {
  for (const { id } of live) await refreshSearchVector(tx, id);
  const ids = new Set(live.map((a) => a.id));
  const neighbours = new Set<string>();
  for (const { id } of live) for (const neighbour of await chooseRelated(tx, id)) neighbours.add(neighbour);
  // A new article also enters the related lists of the articles it relates to.
  for (const neighbour of neighbours) if (!ids.has(neighbour)) await chooseRelated(tx, neighbour);
  const invalidates: CacheTag[] = [];
  for (const { id, sectionId } of live) invalidates.push(...(await tagsShowingArticle(tx, id, sectionId)));
  return [...new Set([...invalidates, ...[...neighbours].map(cacheTags.articlePage)])];
}

/**
 * The pages that list or show an article: its own, its section's, its tags', its authors', the home page, feeds
 * and search results.
 */
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
    cacheTags.search,
    ...related.map((r) => (r.kind === "tag" ? cacheTags.tag(r.ref) : cacheTags.author(r.ref))),
  ];
}
