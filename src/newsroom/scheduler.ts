/**
 * Publishes scheduled articles when their time comes: once at start (catching up after downtime) and then every
 * 15 seconds. Any number of processes may run it; content's conditional UPDATE publishes each article once.
 */
import type { CacheInvalidator } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";

export const SCHEDULER_INTERVAL_MS = 15_000;

export type SchedulerLog = {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
};
export type SchedulerDeps = { db: Db; clock: Clock; invalidator: CacheInvalidator; log: SchedulerLog };

export type Scheduler = {
  /** Publishes what is due now and refreshes the pages that show it; the ids published. */
  publishDue(): Promise<string[]>;
  /** Stops the ticks and waits for a run in progress, so the database can close after it. */
  stop(): Promise<void>;
};

export function startScheduler(deps: SchedulerDeps): Scheduler {
  let running: Promise<string[]> | undefined;
  const publishDue = () => {
    // One run at a time in a process: a slow run is not overtaken by the next tick.
    running ??= (async () => {
      try {
        const { ids, invalidates } = await content.publishDueArticles(deps);
        await deps.invalidator.invalidate(invalidates);
        if (ids.length) deps.log.info({ ids }, "published scheduled articles");
        return ids;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  const timer = setInterval(() => {
    publishDue().catch((err: unknown) => deps.log.error({ err }, "publishing scheduled articles failed"));
  }, SCHEDULER_INTERVAL_MS);
  timer.unref();
  return {
    publishDue,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
