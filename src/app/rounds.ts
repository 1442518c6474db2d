/**
 * Work the server does on a timer beside requests: paywall counters and readers' reads saved, the front page's
 * "Most read" checked, old sign-in attempts, old hourly read counts and mail bodies no job names pruned, newsletters' digests made when
 * their hour comes.
 */
import type { FastifyBaseLogger } from "fastify";
import type { CacheInvalidator } from "../cache/index.js";
import { cacheTags, findMostRead, MOST_READ_SHOWN, pruneReads, type ReadCounts } from "../content/index.js";
import type { Db } from "../db/index.js";
import { pruneMailBodies } from "../email/index.js";
import { pruneAttempts } from "../limits/index.js";
import { type NewsletterSend, queueDueDigests } from "../newsletters/index.js";
import type { PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";

// Counters are added to their tables this often; a crash loses at most this much counting.
const COUNTER_FLUSH_MS = 10_000;

// "Most read" is read again this often, and the front page dropped only when the list changed: at most one
// front page render per process per interval on its account, so its cache hit ratio stays high.
const MOST_READ_CHECK_MS = 5 * 60_000;

// Longer than any attempt limit's window; pruned hourly, with the read counts older than content's READS_KEPT_DAYS.
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
  /**
   * Saves the counts and reads "Most read": drops the front page if its list is not the one read last time, and
   * the fragment under articles (`most-read`) if its list is not. True if either changed.
   */
  checkMostRead(): Promise<boolean>;
  /** Deletes old sign-in attempts and hourly read counts no figure reads any more (hourly). */
  prune(): Promise<void>;
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
  const lastSeen = { front: "", underArticles: "" };
  const hasChanged = (list: "front" | "underArticles", seen: string) => {
    const isChanged = seen !== lastSeen[list];
    lastSeen[list] = seen;
    return isChanged;
  };
  const checkMostRead = async () => {
    await flushCounters();
    const now = clock.now();
    // The list under articles has one more, so it still shows a full list once the article itself is left out.
    const [front, underArticles] = await Promise.all([
      findMostRead(db, now),
      findMostRead(db, now, MOST_READ_SHOWN + 1),
    ]);
    const seenOf = (list: typeof front) => `${list.period}:${list.articles.map((a) => a.id).join(",")}`;
    // The first check drops them too: they may have been rendered before this process counted anything.
    const invalidates = [
      ...(hasChanged("front", seenOf(front)) ? [cacheTags.home] : []),
      ...(hasChanged("underArticles", seenOf(underArticles)) ? [cacheTags.mostRead] : []),
    ];
    // Through a change of its own, so the edge's copies are purged too, not only this process's.
    if (invalidates.length > 0) await deps.invalidator.commit(async () => ({ invalidates }));
    return invalidates.length > 0;
  };
  const counterTimer = setInterval(flushCounters, COUNTER_FLUSH_MS).unref();
  const mostReadTimer = setInterval(() => {
    checkMostRead().catch((err: unknown) => log.error({ err }, "most read not checked"));
  }, MOST_READ_CHECK_MS).unref();
  const prune = async () => {
    await Promise.all([
      pruneAttempts({ db, clock }, { olderThanMs: ATTEMPTS_KEPT_MS }).catch((err: unknown) =>
        log.error({ err }, "old sign-in attempts not pruned"),
      ),
      pruneReads(db, clock.now()).catch((err: unknown) => log.error({ err }, "old read counts not pruned")),
      pruneMailBodies(db, clock.now()).catch((err: unknown) => log.error({ err }, "old mail bodies not pruned")),
    ]);
  };
  const pruneTimer = setInterval(prune, ATTEMPTS_KEPT_MS / 24).unref();
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
    prune,
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
