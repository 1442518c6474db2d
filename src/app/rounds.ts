/**
 * Work the server does on a timer beside requests: paywall counters and readers' reads saved, the front page's
 * "Most read" checked, old sign-in attempts pruned, newsletters' digests made when their hour comes.
 */
import type { FastifyBaseLogger } from "fastify";
import type { CacheInvalidator } from "../cache/index.js";
import { cacheTags, findMostRead, type ReadCounts } from "../content/index.js";
import type { Db } from "../db/index.js";
import { pruneAttempts } from "../limits/index.js";
import { type NewsletterSend, queueDueDigests } from "../newsletters/index.js";
import type { PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";

// Counters are added to their tables this often; a crash loses at most this much counting.
const COUNTER_FLUSH_MS = 10_000;

// "Most read" is read again this often, and the front page dropped only when the list changed: at most one
// front page render per process per interval on its account, so its cache hit ratio stays high.
const MOST_READ_CHECK_MS = 5 * 60_000;

// Longer than any attempt limit's window; pruned hourly.
const ATTEMPTS_KEPT_MS = 24 * 60 * 60_000;

// Digests due are looked for this often: one goes out within a minute of its hour.
const DIGEST_CHECK_MS = 60_000;

export type RoundDeps = {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  paywallCounters: PaywallCounters;
  readCounts: ReadCounts;
  invalidator: Pick<CacheInvalidator, "commit">;
};

export type Rounds = {
  /** Saves the counts, reads "Most read" and drops the front page if the list is not the one read last time. */
  checkMostRead(): Promise<boolean>;
  /** Makes the newsletters' digests due now (each once per period, whichever process gets there first). */
  queueDigests(): Promise<NewsletterSend[]>;
  /** Stops the rounds and saves the counters one last time. */
  stop(): Promise<void>;
};

export function startRounds(deps: RoundDeps): Rounds {
  const { db, clock, log, paywallCounters, readCounts } = deps;
  const flushCounters = () =>
    Promise.all([
      paywallCounters.flush().catch((err: unknown) => log.error({ err }, "paywall counters not saved")),
      readCounts.flush().catch((err: unknown) => log.error({ err }, "article reads not saved")),
    ]);
  let lastMostRead: string | undefined;
  const checkMostRead = async () => {
    await flushCounters();
    const { period, articles } = await findMostRead(db, clock.now());
    const seen = `${period}:${articles.map((a) => a.id).join(",")}`;
    // The first check drops it too: the page may have been rendered before this process counted anything.
    const isChanged = seen !== lastMostRead;
    lastMostRead = seen;
    // Through a change of its own, so the edge's copy of the front page is purged too, not only this process's.
    if (isChanged) await deps.invalidator.commit(async () => ({ invalidates: [cacheTags.home] }));
    return isChanged;
  };
  const counterTimer = setInterval(flushCounters, COUNTER_FLUSH_MS).unref();
  const mostReadTimer = setInterval(() => {
    checkMostRead().catch((err: unknown) => log.error({ err }, "most read not checked"));
  }, MOST_READ_CHECK_MS).unref();
  const pruneTimer = setInterval(() => {
    pruneAttempts({ db, clock }, { olderThanMs: ATTEMPTS_KEPT_MS }).catch((err: unknown) =>
      log.error({ err }, "old sign-in attempts not pruned"),
    );
  }, ATTEMPTS_KEPT_MS / 24).unref();
  let digesting: Promise<NewsletterSend[]> | undefined;
  const queueDigests = () => {
    // One round at a time in a process; other processes are kept out by the digest's unique period.
    digesting ??= queueDueDigests({ db, clock }).finally(() => {
      digesting = undefined;
    });
    return digesting;
  };
  const digestTimer = setInterval(() => {
    queueDigests().catch((err: unknown) => log.error({ err }, "newsletter digests not made"));
  }, DIGEST_CHECK_MS).unref();
  return {
    checkMostRead,
    queueDigests,
    async stop() {
      clearInterval(counterTimer);
      clearInterval(mostReadTimer);
      clearInterval(pruneTimer);
      clearInterval(digestTimer);
      await digesting?.catch(() => undefined);
      await flushCounters();
    },
  };
}
