/** The queue's writes as a runner makes them: claim due jobs under a lease, renew it, record how each attempt ended. */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.js";

export type ClaimedJob = { id: string; kind: string; payload: unknown; attempt: number; maxAttempts: number };

const interval = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;
const MAX_ERROR_LENGTH = 2000;

/**
 * Up to `limit` due jobs of one kind, marked running until the lease ends. SKIP LOCKED lets runners in several
 * processes claim at once without waiting on each other or taking the same job; a running job whose lease has
 * run out (its runner died) is due again.
 */
export async function claimDueJobs(db: Db, input: { kind: string; limit: number; leaseMs: number }) {
  const rows = await queryRows<{ id: string; kind: string; payload: unknown; attempts: number; max_attempts: number }>(
    db,
    sql`UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = now() + ${interval(input.leaseMs)}
        WHERE id IN (
          SELECT id FROM jobs
          WHERE kind = ${input.kind} AND status IN ('queued', 'running') AND run_at <= now()
            AND attempts < max_attempts AND (status = 'queued' OR locked_until <= now())
          ORDER BY run_at
          LIMIT ${input.limit}
          FOR UPDATE SKIP LOCKED
        )
        RETURNING id, kind, payload, attempts, max_attempts`,
  );
  return rows.map(
    (row): ClaimedJob => ({
      id: row.id,
      kind: row.kind,
      payload: row.payload,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
    }),
  );
}

// Every write about an attempt names the attempt: a runner whose lease was taken over writes nothing.
const isCurrent = (job: ClaimedJob) => sql`id = ${job.id} AND attempts = ${job.attempt} AND status = 'running'`;

export async function renewLease(db: Db, job: ClaimedJob, leaseMs: number): Promise<void> {
  await db.execute(sql`UPDATE jobs SET locked_until = now() + ${interval(leaseMs)} WHERE ${isCurrent(job)}`);
}

export async function recordSuccess(db: Db, job: ClaimedJob): Promise<void> {
  await db.execute(
    sql`UPDATE jobs SET status = 'succeeded', finished_at = now(), locked_until = NULL, last_error = NULL
        WHERE ${isCurrent(job)}`,
  );
}

/** A failed attempt: queued again after `retryInMs`, or failed for good when that is undefined. */
export async function recordFailure(
  db: Db,
  job: ClaimedJob,
  outcome: { error: string; retryInMs: number | undefined },
): Promise<void> {
  const error = outcome.error.slice(0, MAX_ERROR_LENGTH);
  await db.execute(
    outcome.retryInMs === undefined
      ? sql`UPDATE jobs SET status = 'failed', finished_at = now(), locked_until = NULL, last_error = ${error}
            WHERE ${isCurrent(job)}`
      : sql`UPDATE jobs SET status = 'queued', run_at = now() + ${interval(outcome.retryInMs)}, locked_until = NULL,
              last_error = ${error}
            WHERE ${isCurrent(job)}`,
  );
}

/**
 * Jobs whose runner died during their last allowed attempt: failed, since claiming them again would go past
 * maxAttempts (a job that kills its process every time stops here).
 */
export async function failAbandonedJobs(db: Db): Promise<number> {
  const rows = await queryRows(
    db,
    sql`UPDATE jobs SET status = 'failed', finished_at = now(), locked_until = NULL,
          last_error = 'the process running its last attempt stopped before it finished'
        WHERE status = 'running' AND locked_until <= now() AND attempts >= max_attempts
        RETURNING id`,
  );
  return rows.length;
}

/** Succeeded jobs finished more than `olderThanMs` ago are deleted; failed ones stay for staff to see. */
export async function pruneSucceededJobs(db: Db, olderThanMs: number): Promise<number> {
  const rows = await queryRows(
    db,
    sql`DELETE FROM jobs WHERE status = 'succeeded' AND finished_at < now() - ${interval(olderThanMs)} RETURNING id`,
  );
  return rows.length;
}
