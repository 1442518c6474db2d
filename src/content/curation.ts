/**
 * The front page as the editors arrange it (a lead and ordered top stories) and the breaking-news strip. Both
 * show on reader pages, so each command returns the cache tags to drop.
 */
import { eq, inArray } from "drizzle-orm";
import { type Db, type Queryable, withTransaction } from "../db/index.js";
import { Invalid } from "../shared/errors.js";
import { safeUrl } from "../shared/html.js";
import { articles, breakingNews, homePicks, sections } from "./schema.js";
import { type ArticleStatus, articlePath, type CacheTag, cacheTags } from "./types.js";

/** Top stories an editor may pin under the lead. */
export const MAX_TOP_STORIES = 12;

export type HomePick = { id: string; title: string; path: string; status: ArticleStatus; publishedAt: Date | null };
/** Picks whose article is no longer published are kept (they return if it is republished) but readers skip them. */
export type HomeCuration = { lead: HomePick | null; top: HomePick[] };
export type HomeCurationInput = { leadId: string | null; topIds: string[] };

export async function getHomeCuration(db: Queryable): Promise<HomeCuration> {
  const rows = await db
    .select({
      position: homePicks.position,
      id: articles.id,
      title: articles.title,
      slug: articles.slug,
      sectionSlug: sections.slug,
      status: articles.status,
      publishedAt: articles.publishedAt,
    })
    .from(homePicks)
    .innerJoin(articles, eq(articles.id, homePicks.articleId))
    .innerJoin(sections, eq(sections.id, articles.sectionId))
    .orderBy(homePicks.position);
  const pick = (r: (typeof rows)[number]): HomePick => ({
    id: r.id,
    title: r.title,
    path: articlePath(r.sectionSlug, r.slug),
    status: r.status,
    publishedAt: r.publishedAt,
  });
  const lead = rows.find((r) => r.position === 0);
  return { lead: lead ? pick(lead) : null, top: rows.filter((r) => r.position > 0).map(pick) };
}

/** Replaces the whole arrangement; every pick must be a published article, each at most once. */
export async function setHomeCuration(db: Db, input: HomeCurationInput): Promise<{ invalidates: CacheTag[] }> {
  if (input.topIds.length > MAX_TOP_STORIES) {
    throw new Invalid("TOO_MANY_TOP_STORIES", `Pick at most ${MAX_TOP_STORIES} top stories`, { property: "topIds" });
  }
  const picks = [
    ...(input.leadId ? [{ id: input.leadId, property: "leadId", position: 0 }] : []),
    ...input.topIds.map((id, i) => ({ id, property: `topIds.${i}`, position: i + 1 })),
  ];
  const seen = new Set<string>();
  for (const p of picks) {
    if (seen.has(p.id)) {
      throw new Invalid("PICKED_TWICE", "An article can be on the front page once", { property: p.property });
    }
    seen.add(p.id);
  }
  return withTransaction(db, async (tx) => {
    const found = picks.length
      ? await tx
          .select({ id: articles.id, status: articles.status })
          .from(articles)
          .where(
            inArray(
              articles.id,
              picks.map((p) => p.id),
            ),
          )
      : [];
    const statusOf = new Map(found.map((a) => [a.id, a.status]));
    for (const p of picks) {
      const status = statusOf.get(p.id);
      if (!status) throw new Invalid("UNKNOWN_ARTICLE", "There is no such article", { property: p.property });
      if (status !== "published") {
        throw new Invalid(
          "ARTICLE_NOT_PUBLISHED",
          `Only published articles go on the front page (this one is ${status.replace("_", " ")})`,
          {
            property: p.property,
          },
        );
      }
    }
    await tx.delete(homePicks);
    if (picks.length) await tx.insert(homePicks).values(picks.map((p) => ({ position: p.position, articleId: p.id })));
    return { invalidates: [cacheTags.home] };
  });
}

export type BreakingNews = { text: string; url: string | null; expiresAt: Date };
export type BreakingNewsInput = BreakingNews & { by: string | null; now: Date };

export async function findBreakingNews(db: Queryable): Promise<BreakingNews | undefined> {
  const [row] = await db
    .select({ text: breakingNews.text, url: breakingNews.url, expiresAt: breakingNews.expiresAt })
    .from(breakingNews)
    .where(eq(breakingNews.id, 1));
  return row;
}

/** Shows the strip on every reader page until `expiresAt`; replaces the one before. */
export async function setBreakingNews(
  db: Queryable,
  input: BreakingNewsInput,
): Promise<{ breaking: BreakingNews; invalidates: CacheTag[] }> {
  const text = input.text.replace(/\s+/g, " ").trim();
  if (!text) throw new Invalid("TEXT_REQUIRED", "Write what the strip says", { property: "text" });
  const url = input.url === null ? null : checkedLink(input.url, "url");
  if (input.expiresAt <= input.now) {
    throw new Invalid("EXPIRY_IN_PAST", "The strip must expire in the future", { property: "expiresAt" });
  }
  const values = { text, url, expiresAt: input.expiresAt, updatedBy: input.by, updatedAt: input.now };
  await db
    .insert(breakingNews)
    .values({ id: 1, ...values })
    .onConflictDoUpdate({ target: breakingNews.id, set: values });
  return { breaking: { text, url, expiresAt: input.expiresAt }, invalidates: [cacheTags.site] };
}

export async function clearBreakingNews(db: Queryable): Promise<{ invalidates: CacheTag[] }> {
  const gone = await db.delete(breakingNews).returning({ id: breakingNews.id });
  return { invalidates: gone.length ? [cacheTags.site] : [] };
}

/** An address shown on reader pages: http(s), or a path on this site; never javascript:, data: or //host. */
export function checkedLink(url: string, property: string): string {
  const safe = safeUrl(url);
  if (!safe || !/^(https?:\/\/|\/(?!\/))/.test(safe)) {
    throw new Invalid("INVALID_URL", "Use an address starting with https://, http:// or /", { property });
  }
  return safe;
}
