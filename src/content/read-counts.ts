/**
 * "Most read": readers' page views per article and hour. A view is counted in memory (a map lookup and an
 * increment, on the cached path too) and the counts are added to `article_reads` in one statement per batch every
 * few seconds, so no page view waits on or makes a write. Nothing about the reader is kept; a request that says it
 * is a robot, or names no browser at all, is not counted.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { SUMMARY_COLUMNS, toSummary } from "./queries.js";
import type { ArticleSummary } from "./types.js";

export type ReadCounts = {
  /** Counts one view of the article, unless the user agent is missing or a known robot's. */
  count(articleId: string, userAgent: string | undefined): void;
  /** Adds what was counted since the last flush to the table. */
  flush(): Promise<void>;
};

// Crawlers, link previewers, monitors, headless browsers and command-line clients name themselves so.
const ROBOT_AGENT =
  /bot\b|bot\/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|uptime|lighthouse|headless|phantomjs|curl\/|wget\/|python-|httpclient|okhttp|go-http-client|java\//i;

/** True for a user agent that is not a person's browser: none at all, or one that names a robot. */
export function isRobotAgent(userAgent: string | undefined): boolean {
  return !userAgent || ROBOT_AGENT.test(userAgent);
}

const HOUR_MS = 3_600_000;
const AGENTS_REMEMBERED = 1000;

/** Rows per INSERT: a few thousand articles read in one interval still take a handful of statements. */
const ROWS_PER_STATEMENT = 500;

export function createReadCounts(deps: { db: Queryable; clock: Clock }): ReadCounts {
  let pending = new Map<string, number>();
  // Browsers send a few user agents many times: each is judged once (the regular expression costs more than
  // the rest of counting), in a map cleared when it grows past AGENTS_REMEMBERED.
  const agents = new Map<string, boolean>();
  const isRobot = (userAgent: string | undefined) => {
    if (userAgent === undefined) return true;
    let verdict = agents.get(userAgent);
    if (verdict === undefined) {
      verdict = isRobotAgent(userAgent);
      if (agents.size >= AGENTS_REMEMBERED) agents.clear();
      agents.set(userAgent, verdict);
    }
    return verdict;
  };
  return {
    count(articleId, userAgent) {
      if (isRobot(userAgent)) return;
      // The hour as a number: formatting a date on every view cost more than all the rest of counting.
      const key = `${articleId}|${Math.floor(deps.clock.now().getTime() / HOUR_MS)}`;
      pending.set(key, (pending.get(key) ?? 0) + 1);
    },
    async flush() {
      if (pending.size === 0) return;
      const batch = [...pending];
      pending = new Map();
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const values: SQL[] = batch.slice(i, i + ROWS_PER_STATEMENT).map(([key, reads]) => {
          const [articleId, hour] = key.split("|");
          const at = new Date(Number(hour) * HOUR_MS).toISOString();
          return sql`(${articleId}::uuid, ${at}::timestamptz, ${reads})`;
        });
        await deps.db.execute(sql`
          INSERT INTO article_reads (article_id, hour, reads) VALUES ${sql.join(values, sql`, `)}
          ON CONFLICT (article_id, hour) DO UPDATE SET reads = article_reads.reads + excluded.reads`);
      }
    },
  };
}

/**
 * Hourly counts are kept this long: the newsroom dashboard's longest range is 90 days, counted from midnight in
 * the paper's time zone (up to 14 hours from UTC), and "Most read" reads 7 days at most.
 */
export const READS_KEPT_DAYS = 91;

/** Deletes the hourly counts older than READS_KEPT_DAYS before `now`; returns how many rows went. */
export async function pruneReads(db: Queryable, now: Date): Promise<number> {
  const before = new Date(now.getTime() - READS_KEPT_DAYS * 24 * HOUR_MS);
  const rows = await queryRows<{ hour: string }>(
    db,
    sql`DELETE FROM article_reads WHERE hour < ${before.toISOString()}::timestamptz RETURNING hour`,
  );
  return rows.length;
}

export type MostReadInput = { since: Date; limit: number };

/**
 * The published articles read most since `since`, most read first (ties: the newer first). A list of headlines:
 * the summary never holds gated text, and an article unpublished since it was read drops out.
 */
export async function listMostRead(db: Queryable, input: MostReadInput): Promise<ArticleSummary[]> {
  const since = new Date(Math.floor(input.since.getTime() / HOUR_MS) * HOUR_MS);
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT ${SUMMARY_COLUMNS}
          FROM (SELECT article_id, sum(reads) AS reads FROM article_reads WHERE hour >= ${since.toISOString()}::timestamptz
                 GROUP BY article_id) r
          JOIN articles a ON a.id = r.article_id JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published'
         ORDER BY r.reads DESC, a.published_at DESC NULLS LAST, a.id
         LIMIT ${input.limit}`,
  );
  return rows.map(toSummary);
}

/** Headlines in the front page's "Most read" rail. */
export const MOST_READ_SHOWN = 5;

/**
 * The front page's list: the last 24 hours, or the last 7 days while the day has fewer than a full list (a quiet
 * night, a new site). Says which, so the rail can name its period. `limit` (MOST_READ_SHOWN) is a full list: the
 * list under articles asks for one more, so that it still has five once the article itself is left out.
 */
export async function findMostRead(
  db: Queryable,
  now: Date,
  limit = MOST_READ_SHOWN,
): Promise<{ period: "day" | "week"; articles: ArticleSummary[] }> {
  const day = await listMostRead(db, { since: new Date(now.getTime() - 24 * HOUR_MS), limit });
  if (day.length >= limit) return { period: "day", articles: day };
  const week = await listMostRead(db, { since: new Date(now.getTime() - 7 * 24 * HOUR_MS), limit });
  return { period: "week", articles: week };
}
