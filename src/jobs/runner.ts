/**
 * Runs jobs in this process: claims due jobs of each registered kind, at most `concurrency` of a kind at a time,
 * woken by NOTIFY when one is enqueued and by a short poll for retries, scheduled jobs and expired leases. Under
 * load it works in batches: a kind is claimed once a quarter of its slots are free (one query claims them all),
 * and the outcomes of jobs finishing while one is being recorded are recorded together in the next query.
 */
import type { Database, Db } from "../db/index.js";
import { createBatcher } from "../shared/batcher.js";
import { epochMs } from "../shared/clock.js";
import {
  type ClaimedJob,
  claimDueJobs,
  failAbandonedJobs,
  type JobOutcome,
  pruneSucceededJobs,
  recordOutcomes,
  renewLease,
} from "./claims.js";
import { JOBS_CHANNEL } from "./enqueue.js";

export type JobLog = {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
};

export type JobContext = {
  /** 1 on the first try. */
  attempt: number;
  jobId: string;
  log: JobLog;
  /** Aborted when the runner stops: a long job may end early and be retried. */
  signal: AbortSignal;
};

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

/** Thrown by a handler when trying again cannot help (an address refused for good): the job fails at once. */
export class PermanentJobError extends Error {
  override readonly name = "PermanentJobError";
}

export type JobRunnerOptions = {
  handlers: Record<string, JobHandler>;
  /** Jobs of one kind running at once in this process; `defaultConcurrency` (4) for kinds not named. */
  concurrency?: Record<string, number>;
  defaultConcurrency?: number;
  /** How long a claimed job is held; renewed while it runs, so only a dead runner's jobs outlive it. */
  leaseMs?: number;
  /** How often to look for jobs nobody announced (retries falling due, expired leases). */
  pollMs?: number;
  /** Retry n waits min(maxMs, baseMs × 2^(n−1)). */
  backoff?: { baseMs: number; maxMs: number };
  /** How long stop() waits for running jobs before leaving them to their leases. */
  stopGraceMs?: number;
  /** Succeeded jobs are deleted this long after they finish. */
  keepSucceededMs?: number;
};

export type JobRunner = {
  start(): Promise<void>;
  /** No more claims; running jobs are signalled and awaited (up to the grace), so the database can close after. */
  stop(): Promise<void>;
};

const DEFAULTS = {
  defaultConcurrency: 4,
  leaseMs: 60_000,
  pollMs: 1_000,
  backoff: { baseMs: 5_000, maxMs: 60 * 60_000 },
  stopGraceMs: 10_000,
  keepSucceededMs: 7 * 24 * 60 * 60_000,
};
const HOUSEKEEPING_EVERY_MS = 60 * 60_000;
/** Outcomes recorded in one statement at most. */
const MAX_OUTCOMES_PER_WRITE = 500;

export function retryDelayMs(attempt: number, backoff: { baseMs: number; maxMs: number }): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt - 1, 30));
}

type RunnerSettings = typeof DEFAULTS & JobRunnerOptions;

/** Claims due jobs as they are announced or fall due, runs each with `runClaimedJob`, and stops within a grace. */
export function createJobRunner(deps: { database: Database; log: JobLog }, options: JobRunnerOptions): JobRunner {
  const settings = { ...DEFAULTS, ...options };
  const db = deps.database.db;
  const kinds = Object.keys(options.handlers);
  const running = new Map<string, Set<Promise<void>>>(kinds.map((kind) => [kind, new Set()]));
  const aborter = new AbortController();
  let isStopped = false;
  let unlisten: (() => Promise<void>) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const keepHouse = createHousekeeping(db, settings);
  const record = createOutcomeRecorder(db);
  // One pass at a time; a wake during a pass asks for another right after it.
  let pass: Promise<void> | undefined;
  let isWanted = false;

  function launch(job: ClaimedJob): void {
    const slots = running.get(job.kind);
    const work = runClaimedJob({ db, log: deps.log, settings, signal: aborter.signal }, job)
      .then(record)
      .catch((err: unknown) => deps.log.error({ err, jobId: job.id }, "job outcome not recorded"))
      .finally(() => {
        slots?.delete(work);
        wake();
      });
    slots?.add(work);
  }

  async function claimAll(): Promise<void> {
    await keepHouse();
    for (const kind of kinds) {
      const limit = settings.concurrency?.[kind] ?? settings.defaultConcurrency;
      const free = slotsToClaim(limit, running.get(kind)?.size ?? 0);
      if (free === 0 || isStopped) continue;
      const claimed = await claimDueJobs(db, { kind, limit: free, leaseMs: settings.leaseMs });
      for (const job of claimed) launch(job);
    }
  }

  function wake(): void {
    if (isStopped) return;
    if (pass) {
      isWanted = true;
      return;
    }
    clearTimeout(timer);
    pass = claimAll()
      .catch((err: unknown) => deps.log.error({ err }, "claiming jobs failed"))
      .finally(() => {
        pass = undefined;
        if (isStopped) return;
        if (isWanted) {
          isWanted = false;
          wake();
        } else {
          timer = setTimeout(wake, settings.pollMs);
          timer.unref();
        }
      });
  }

  return {
    async start() {
      if (kinds.length === 0) return;
      unlisten = await deps.database.listen(JOBS_CHANNEL, (kind) => {
        if (running.has(kind)) wake();
      });
      wake();
    },
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      aborter.abort();
      await pass;
      await unlisten?.().catch(() => undefined);
      const work = [...running.values()].flatMap((set) => [...set]);
      await settleWithin(work, settings.stopGraceMs);
    },
  };
}

/** Free slots worth a claim: all of them when none is busy, else once a quarter are free (fewer round trips). */
function slotsToClaim(limit: number, busy: number): number {
  const free = limit - busy;
  return free > 0 && (busy === 0 || free >= limit / 4) ? free : 0;
}

/** Outcomes of jobs finishing while one batch is written go together in the next statement. */
function createOutcomeRecorder(db: Db): (outcome: JobOutcome) => Promise<void> {
  return createBatcher(async (outcomes: JobOutcome[]) => {
    await recordOutcomes(db, outcomes);
    return outcomes.map(() => undefined);
  }, MAX_OUTCOMES_PER_WRITE);
}

/**
 * Before a pass, at most once per poll: fails jobs abandoned on their last attempt; once an hour, deletes old
 * succeeded ones.
 */
function createHousekeeping(db: Db, settings: { keepSucceededMs: number; pollMs: number }): () => Promise<void> {
  let lastPrune = 0;
  let lastCheck = 0;
  return async () => {
    const now = epochMs();
    if (now - lastCheck < settings.pollMs) return;
    lastCheck = now;
    if (now - lastPrune >= HOUSEKEEPING_EVERY_MS) {
      lastPrune = now;
      await pruneSucceededJobs(db, settings.keepSucceededMs);
    }
    await failAbandonedJobs(db);
  };
}

/** One claimed job: its handler, under a lease renewed while it runs; returns how it ended, to be recorded. */
async function runClaimedJob(
  deps: { db: Db; log: JobLog; settings: RunnerSettings; signal: AbortSignal },
  job: ClaimedJob,
): Promise<JobOutcome> {
  const { db, settings } = deps;
  const handler = settings.handlers[job.kind];
  const log = withJob(deps.log, job);
  const renewal = setInterval(() => {
    renewLease(db, job, settings.leaseMs).catch((err: unknown) => log.error({ err }, "job lease not renewed"));
  }, settings.leaseMs / 3);
  try {
    await handler?.(job.payload, { attempt: job.attempt, jobId: job.id, log, signal: deps.signal });
    return { job, succeeded: true };
  } catch (err) {
    const isFinal = err instanceof PermanentJobError || job.attempt >= job.maxAttempts;
    const retryInMs = isFinal ? undefined : retryDelayMs(job.attempt, settings.backoff);
    const error = err instanceof Error ? err.message || err.name : String(err);
    log.warn({ err, attempt: job.attempt, retryInMs }, isFinal ? "job failed" : "job attempt failed; will retry");
    return { job, succeeded: false, error, retryInMs };
  } finally {
    clearInterval(renewal);
  }
}

/** Waits for all of `work`, or for `graceMs`, whichever ends first. */
async function settleWithin(work: Promise<unknown>[], graceMs: number): Promise<void> {
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(work),
    new Promise((resolve) => {
      grace = setTimeout(resolve, graceMs);
    }),
  ]);
  clearTimeout(grace);
}

function withJob(log: JobLog, job: ClaimedJob): JobLog {
  const about = { jobId: job.id, kind: job.kind };
  return {
    info: (details, message) => log.info({ ...about, ...details }, message),
    warn: (details, message) => log.warn({ ...about, ...details }, message),
    error: (details, message) => log.error({ ...about, ...details }, message),
  };
}
