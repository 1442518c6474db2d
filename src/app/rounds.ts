/** Work the server does on a timer beside requests: paywall counters saved, old sign-in attempts pruned. */
import type { FastifyBaseLogger } from "fastify";
import type { Db } from "../db/index.js";
import { pruneAttempts } from "../limits/index.js";
import type { PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";

// Paywall counters are added to the table this often; a crash loses at most this much counting.
const COUNTER_FLUSH_MS = 10_000;

// Longer than any attempt limit's window; pruned hourly.
const ATTEMPTS_KEPT_MS = 24 * 60 * 60_000;

export type RoundDeps = { db: Db; clock: Clock; log: FastifyBaseLogger; paywallCounters: PaywallCounters };

/** Starts the rounds; the function returned stops them and saves the counters one last time. */
export function startRounds({ db, clock, log, paywallCounters }: RoundDeps): () => Promise<void> {
  const flushCounters = () =>
    paywallCounters.flush().catch((err: unknown) => log.error({ err }, "paywall counters not saved"));
  const counterTimer = setInterval(flushCounters, COUNTER_FLUSH_MS).unref();
  const pruneTimer = setInterval(() => {
    pruneAttempts({ db, clock }, { olderThanMs: ATTEMPTS_KEPT_MS }).catch((err: unknown) =>
      log.error({ err }, "old sign-in attempts not pruned"),
    );
  }, ATTEMPTS_KEPT_MS / 24).unref();
  return async () => {
    clearInterval(counterTimer);
    clearInterval(pruneTimer);
    await flushCounters();
  };
}
