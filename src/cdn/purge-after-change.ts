/**
 * Purges at the CDN what a change invalidated, after the change is saved: the page cache's tags are the surrogate
 * keys every answer names. A failed purge is tried again with a growing wait, then logged as an error.
 */
import type { Purger } from "./purge.js";

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

// Tags that name no answer: a member's (their sessions are renewed, no page shows them).
const NOT_SHOWN = /^member:/;

export function surrogateKeysToPurge(tags: readonly string[]): string[] {
  return [...new Set(tags.filter((tag) => !NOT_SHOWN.test(tag)))];
}

export type PurgeRetries = { attempts: number; firstWaitMs: number };
const RETRIES: PurgeRetries = { attempts: 5, firstWaitMs: 500 };

/** `purge(tags)` starts purging and returns at once; `settled()` waits for every purge started so far. */
export function startPurging(purger: Purger, log: Log, retries: PurgeRetries = RETRIES) {
  const running = new Set<Promise<void>>();
  const attempt = async (keys: string[]) => {
    for (let n = 1; ; n++) {
      try {
        await purger.purge(keys);
        return;
      } catch (err) {
        const detail = { err, provider: purger.provider, keys, attempt: n };
        if (n >= retries.attempts) {
          log.error(detail, "CDN purge failed: the edge may serve these pages stale until it expires them");
          return;
        }
        log.warn(detail, "CDN purge failed; trying again");
        await new Promise((resolve) => setTimeout(resolve, retries.firstWaitMs * 2 ** (n - 1)));
      }
    }
  };
  return {
    purge(tags: readonly string[]): void {
      const keys = surrogateKeysToPurge(tags);
      if (keys.length === 0) return;
      const run = attempt(keys).finally(() => running.delete(run));
      running.add(run);
    },
    async settled(): Promise<void> {
      await Promise.all(running);
    },
  };
}
