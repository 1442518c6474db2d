/**
 * Publishes scheduled articles when their time comes: once at start (catching up after downtime) and then every
 * 15 seconds. Any number of processes may run it; content's conditional UPDATE publishes each article once.
 */
import type { CacheInvalidator } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";

const SCHEDULER_INTERVAL_MS = 15_000;

export type SchedulerLog = {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
};
export type SchedulerDeps = { db: Db; clock: Clock; invalidator: CacheInvalidator; log: SchedulerLog };

export type Scheduler = {
  /** Publishes what is due now and refreshes the pages that show it; the ids published. */
  publishDue(): Promise<string[]>;
  /** Runs publishDue every SCHEDULER_INTERVAL_MS from now on. */
  start(): void;
  /** Stops the ticks and waits for a run in progress, so the database can close after it. */
  stop(): Promise<void>;
};

export function createScheduler(deps: SchedulerDeps): Scheduler {
  let running: Promise<string[]> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const publishDue = () => {
    // One run at a time in a process: a slow run is not overtaken by the next tick.
    running ??= (async () => {
      try {
        const { ids } = await deps.invalidator.commit((tx) => content.publishDueArticles({ ...deps, db: tx }));
        if (ids.length) deps.log.info({ ids }, "published scheduled articles");
        return ids;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  return {
    publishDue,
    start() {
      timer ??= setInterval(() => {
        publishDue().catch((err: unknown) => deps.log.error({ err }, "publishing scheduled articles failed"));
      }, SCHEDULER_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
