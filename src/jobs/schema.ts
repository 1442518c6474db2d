import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * The one queue of background work. A job is written in the transaction of the change that causes it, so it
 * exists exactly when that change does; runners claim due jobs with a lease, and a job whose runner died is
 * claimed again once its lease has run out.
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    /** Idempotency: a second job with the same key is not written. */
    key: text("key"),
    /** queued | running | succeeded | failed */
    status: text("status").notNull().default("queued"),
    /** Higher first among a kind's due jobs: a sign-in link goes ahead of a newsletter's queued messages. */
    priority: integer("priority").notNull().default(0),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    runAt: timestamp("run_at", { withTimezone: true }).notNull(),
    /** While running: when the lease ends and another runner may claim the job. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("jobs_key_unique").on(t.key),
    // Keys by prefix (LIKE 'prefix%'): a newsletter send's messages, counted and withdrawn together.
    index("jobs_key_prefix_idx").on(t.key.op("text_pattern_ops")),
    // What a runner's claim reads: only the unfinished jobs, by kind, priority and time.
    index("jobs_due_idx").on(t.kind, t.priority.desc(), t.runAt).where(sql`${t.status} IN ('queued', 'running')`),
    index("jobs_status_finished_idx").on(t.status, t.finishedAt),
  ],
);
