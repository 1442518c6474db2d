/**
 * Purges at the CDN what a change invalidated, through the job queue: the page cache's tags are the surrogate
 * keys every answer names. A job survives a crash; a failed purge is retried with the queue's backoff, and one
 * that keeps failing is left `failed` with its error, where staff see it.
 */
import type { Database, Queryable } from "../db/index.js";
import { enqueueJob, type JobHandler, PermanentJobError } from "../jobs/index.js";
import type { Purger } from "./purge.js";

export const CDN_PURGE_JOB = "cdn:purge";
// With the queue's backoff, about a day of tries before a purge is given up as failed.
const MAX_ATTEMPTS = 20;

// Tags that name no answer: a member's (their sessions are renewed, no page shows them).
const NOT_SHOWN = /^member:/;

export function surrogateKeysToPurge(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((tag) => !NOT_SHOWN.test(tag)))];
}

/**
 * Queues the purge of what `tags` name, in `db`'s transaction when it is one; nothing when none is shown on a page.
 * With `repurgeSeconds`, a second purge of the same keys that long after: the edge may refetch a page at once from a
 * process that has not yet heard of the change (LISTEN/NOTIFY lag) and keep its old copy; the second purge drops it.
 */
export async function enqueuePurge(
  db: Database | Queryable,
  tags: readonly string[],
  options: { repurgeSeconds?: number } = {},
): Promise<void> {
  const keys = surrogateKeysToPurge(tags);
  if (keys.length === 0) return;
  await enqueueJob(db, { kind: CDN_PURGE_JOB, payload: { keys }, maxAttempts: MAX_ATTEMPTS });
  const delaySeconds = options.repurgeSeconds ?? 0;
  if (delaySeconds > 0) {
    await enqueueJob(db, {
      kind: CDN_PURGE_JOB,
      payload: { keys, isRepurge: true },
      maxAttempts: MAX_ATTEMPTS,
      delaySeconds,
    });
  }
}

/** The queue's handler for `cdn:purge`. */
export function purgeHandler(purger: Purger): JobHandler {
  return async (payload, ctx) => {
    const keys = (payload as { keys?: unknown }).keys;
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string")) {
      throw new PermanentJobError("a cdn:purge job names its keys as a list of strings");
    }
    await purger.purge(keys);
    ctx.log.info({ provider: purger.provider, keys: keys.length, attempt: ctx.attempt }, "CDN purged");
  };
}
