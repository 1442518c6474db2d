/**
 * Jobs named by a key prefix (a newsletter send's messages are keyed `newsletter-send:<send>:<member>`): how they
 * stand, and taking back the ones no runner has claimed yet.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";

export type KeyedJobCounts = { queued: number; running: number; failed: number };

// LIKE's own characters in a prefix match only themselves.
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The unfinished and failed jobs whose key starts with `prefix` (succeeded ones are pruned after a week). */
export async function countJobsByKeyPrefix(db: Queryable, prefix: string): Promise<KeyedJobCounts> {
  const [row] = await queryRows<{ queued: number; running: number; failed: number }>(
    db,
    sql`SELECT count(*) FILTER (WHERE status = 'queued')::int AS queued,
               count(*) FILTER (WHERE status = 'running')::int AS running,
               count(*) FILTER (WHERE status = 'failed')::int AS failed
          FROM jobs WHERE key LIKE ${likePrefix(prefix)}`,
  );
  return { queued: Number(row?.queued ?? 0), running: Number(row?.running ?? 0), failed: Number(row?.failed ?? 0) };
}

/**
 * Deletes the queued jobs whose key starts with `prefix`; how many. A job already claimed (running) is left to
 * finish: its handler may be mid-way through its effect.
 */
export async function withdrawQueuedJobs(db: Queryable, prefix: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM jobs WHERE key LIKE ${likePrefix(prefix)} AND status = 'queued' RETURNING id`,
  );
  return rows.length;
}
