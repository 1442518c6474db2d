/** The queue's writes as a runner makes them: claim due jobs under a lease, renew it, record how each attempt ended. */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.js";

export type ClaimedJob = { id: string; kind: string; payload: unknown; attempt: number; maxAttempts: number };

const interval = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;
const MAX_ERROR_LENGTH = 2000;

/**
 * Up to `limit` due jobs of one kind, highest priority first, then oldest, marked running until the lease ends. SKIP LOCKED lets runners in several
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
          ORDER BY priority DESC, run_at
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

/** How an attempt ended: done, queued again after `retryInMs`, or failed for good (`retryInMs` undefined). */
export type JobOutcome =
  | { job: ClaimedJob; succeeded: true }
  | { job: ClaimedJob; succeeded: false; error: string; retryInMs: number | undefined };

/**
 * Several attempts' outcomes in one statement (a batch of messages sent together): each row names its attempt,
 * so one whose lease was taken over writes nothing while the others are recorded.
 */
export async function recordOutcomes(db: Db, outcomes: JobOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const rows = outcomes.map((outcome) => {
    const { job } = outcome;
    const status = outcome.succeeded ? "succeeded" : outcome.retryInMs === undefined ? "failed" : "queued";
    const retrySeconds = outcome.succeeded ? 0 : (outcome.retryInMs ?? 0) / 1000;
    const error = outcome.succeeded ? null : outcome.error.slice(0, MAX_ERROR_LENGTH);
    return sql`(${job.id}::uuid, ${job.attempt}::integer, ${status}::text, ${retrySeconds}::double precision,
                ${error}::text)`;
  });
  await db.execute(
    sql`UPDATE jobs SET status = outcome.status, locked_until = NULL, last_error = outcome.error,
          finished_at = CASE WHEN outcome.status = 'queued' THEN NULL ELSE now() END,
          run_at = CASE WHEN outcome.status = 'queued' THEN now() + make_interval(secs => outcome.retry_seconds)
                   ELSE jobs.run_at END
        FROM (VALUES ${sql.join(rows, sql`, `)}) AS outcome (id, attempt, status, retry_seconds, error)
        WHERE jobs.id = outcome.id AND jobs.attempts = outcome.attempt AND jobs.status = 'running'`,
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
