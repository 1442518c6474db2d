import { sql } from "drizzle-orm";
import { type Database, type Queryable, queryRows } from "../db/index.js";

/** The channel a runner listens on: an enqueued job wakes it at once instead of at its next poll. */
export const JOBS_CHANNEL = "broadsheet_jobs";

const DEFAULT_MAX_ATTEMPTS = 10;
const MAX_KIND_LENGTH = 100;
const MAX_KEY_LENGTH = 500;

export type NewJob = {
  kind: string;
  /** Anything JSON can hold; the handler receives it as parsed JSON. */
  payload: unknown;
  /** Idempotency: a second enqueue with the same key is a no-op, however long after the first. */
  key?: string;
  /** Not before this time; now when unset. */
  runAt?: Date;
  /** Not before this many seconds after the enqueuing transaction's start, by the database's clock (not with runAt). */
  delaySeconds?: number;
  maxAttempts?: number;
  /** Due jobs of a kind are claimed highest first (0 when unset), then oldest first. */
  priority?: number;
};

/**
 * Writes a job, in the transaction `db` when it is one, so the job exists exactly when the change that caused it
 * commits. Returns the new job's id, or undefined when a job with the same key already exists. Runners hear of
 * it on commit (NOTIFY is delivered then), so it starts within moments.
 */
export async function enqueueJob(db: Database | Queryable, job: NewJob): Promise<string | undefined> {
  return (await enqueueJobs(db, [job]))[0];
}

/** Writes several jobs in one statement (as `enqueueJob` each); the ids of those written, not those whose key was taken. */
export async function enqueueJobs(db: Database | Queryable, jobs: NewJob[]): Promise<string[]> {
  const queryable = "listen" in db ? db.db : db;
  if (jobs.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    queryable,
    sql`WITH inserted AS (
          INSERT INTO jobs (kind, payload, key, max_attempts, priority, run_at, created_at)
          VALUES ${sql.join(jobs.map(rowOf), sql`, `)}
          ON CONFLICT (key) DO NOTHING
          RETURNING id, kind
        )
        SELECT id FROM inserted,
          (SELECT count(pg_notify(${JOBS_CHANNEL}, kind)) FROM (SELECT DISTINCT kind FROM inserted) kinds) notified`,
  );
  return rows.map((row) => row.id);
}

/** One job's checked VALUES row. */
function rowOf(job: NewJob) {
  if (!job.kind || job.kind.length > MAX_KIND_LENGTH) throw new TypeError("a job's kind is 1 to 100 characters");
  if (job.key !== undefined && (!job.key || job.key.length > MAX_KEY_LENGTH)) {
    throw new TypeError("a job's key is 1 to 500 characters");
  }
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new TypeError("maxAttempts is a whole number, 1 or more");
  const priority = job.priority ?? 0;
  if (!Number.isInteger(priority)) throw new TypeError("a job's priority is a whole number");
  const payload = JSON.stringify(job.payload);
  if (payload === undefined) throw new TypeError("a job's payload must be JSON");
  // The queue keeps the database's time, so processes whose clocks disagree still agree on what is due.
  const delay = job.delaySeconds ?? 0;
  if (!Number.isFinite(delay) || delay < 0) throw new TypeError("delaySeconds is a number of seconds, 0 or more");
  const runAt = job.runAt
    ? sql`${job.runAt.toISOString()}::timestamptz`
    : sql`now() + make_interval(secs => ${delay}::double precision)`;
  return sql`(${job.kind}, ${payload}::jsonb, ${job.key ?? null}, ${maxAttempts}::integer, ${priority}::integer, ${runAt}, now())`;
}
