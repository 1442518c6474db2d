/**
 * The newsroom dashboard's figures from content: articles published and readers' page views per day, the most read
 * articles with their views, and one article's views per hour after it was first published.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows, sumByDay } from "../db/index.js";
import type { DayRange } from "../shared/day-range.js";

/** Articles first published on each day: publishing again after an unpublish does not count again. */
export function countPublishedByDay(db: Queryable, range: DayRange): Promise<number[]> {
  return sumByDay(db, range, { at: sql`first_published_at`, from: sql`articles` });
}

/** Readers' page views on each day (robots left out when counted; the last few seconds not yet saved). */
export function countReadsByDay(db: Queryable, range: DayRange): Promise<number[]> {
  return sumByDay(db, range, { at: sql`hour`, from: sql`article_reads`, value: sql`sum(reads)` });
}

export type ArticleViews = { id: string; title: string; path: string; views: number };

/** The published articles read most since `since`, with their views, most first. */
export async function listMostViewed(db: Queryable, input: { since: Date; limit: number }): Promise<ArticleViews[]> {
  const rows = await queryRows<{ id: string; title: string; section: string; slug: string; views: number | string }>(
    db,
    sql`SELECT a.id, a.title, s.slug AS section, a.slug, r.views
          FROM (SELECT article_id, sum(reads) AS views FROM article_reads
                 WHERE hour >= ${input.since.toISOString()}::timestamptz GROUP BY article_id) r
          JOIN articles a ON a.id = r.article_id JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published'
         ORDER BY r.views DESC, a.published_at DESC NULLS LAST, a.id
         LIMIT ${input.limit}`,
  );
  return rows.map((r) => ({ id: r.id, title: r.title, path: `/${r.section}/${r.slug}`, views: Number(r.views) }));
}

const HOUR_MS = 3_600_000;

export type HourlyViews = {
  /** The hour the counts start at: the one the article was first published in (UTC), or null if never published. */
  from: Date | null;
  /** Views per hour from `from`, up to `hours` of them and no further than the hour `now` is in. */
  views: number[];
};

/** One article's views per hour for its first `hours` hours after it was first published; undefined: no article. */
export async function listViewsByHour(
  db: Queryable,
  input: { articleId: string; hours: number; now: Date },
): Promise<HourlyViews | undefined> {
  const [article] = await queryRows<{ first: string | Date | null }>(
    db,
    sql`SELECT first_published_at AS first FROM articles WHERE id = ${input.articleId}`,
  );
  if (!article) return undefined;
  if (!article.first) return { from: null, views: [] };
  const from = Math.floor(new Date(article.first).getTime() / HOUR_MS) * HOUR_MS;
  const shown = Math.max(0, Math.min(input.hours, Math.floor((input.now.getTime() - from) / HOUR_MS) + 1));
  const rows = await queryRows<{ hour: string | Date; reads: number }>(
    db,
    sql`SELECT hour, reads FROM article_reads
         WHERE article_id = ${input.articleId} AND hour >= ${new Date(from).toISOString()}::timestamptz
           AND hour < ${new Date(from + shown * HOUR_MS).toISOString()}::timestamptz`,
  );
  const views = new Array<number>(shown).fill(0);
  for (const r of rows) views[Math.round((new Date(r.hour).getTime() - from) / HOUR_MS)] = Number(r.reads);
  return { from: new Date(from), views };
}
