import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { JOBS_CHANNEL } from "./enqueue.js";
import { jobs } from "./schema.js";

export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** A job as staff see it: what it is and how it went, without its payload (which may hold readers' data). */
export type JobSummary = {
  id: string;
  kind: string;
  key: string | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** The newest jobs first, optionally of one status and kind. */
export async function listJobs(
  db: Queryable,
  filter: { status?: JobStatus; kind?: string; limit: number },
): Promise<JobSummary[]> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(jobs.status, filter.status));
  if (filter.kind) conditions.push(eq(jobs.kind, filter.kind));
  const rows = await db
    .select({
      id: jobs.id,
      kind: jobs.kind,
      key: jobs.key,
      status: jobs.status,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
      runAt: jobs.runAt,
      lastError: jobs.lastError,
      createdAt: jobs.createdAt,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .where(and(...conditions))
    .orderBy(desc(jobs.createdAt))
    .limit(filter.limit);
  return rows.map((row) => ({ ...row, status: row.status as JobStatus }));
}

/**
 * A failed job queued again from its first attempt, as if new, and the runners woken; undefined when no failed
 * job has that id (a job still waiting or running is left alone: it has attempts to go).
 */
export async function retryFailedJob(db: Queryable, id: string): Promise<{ id: string; kind: string } | undefined> {
  const rows = await queryRows<{ id: string; kind: string }>(
    db,
    sql`WITH retried AS (
          UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, last_error = NULL
           WHERE id = ${id} AND status = 'failed'
       RETURNING id, kind)
        SELECT id, kind, pg_notify(${JOBS_CHANNEL}, kind) FROM retried`,
  );
  return rows[0] && { id: rows[0].id, kind: rows[0].kind };
}
