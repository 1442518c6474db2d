/**
 * In-process sliding-window limits. Each process counts on its own, so N processes allow up to N times the
 * limit: acceptable for throttling sign-ins and emailed links, and it needs no shared store.
 */
import type { Clock } from "./clock.js";

export type RateLimiter = {
  /** Seconds until `key` may act again; 0 when it may now. */
  retryAfter(key: string): number;
  record(key: string): void;
};

// Enough for a busy day's distinct keys; beyond it the oldest keys are forgotten first.
const MAX_KEYS = 50_000;

export function createRateLimiter(clock: Clock, options: { limit: number; windowMs: number }): RateLimiter {
  const hits = new Map<string, number[]>();
  const recent = (key: string, now: number) => (hits.get(key) ?? []).filter((t) => t > now - options.windowMs);

  return {
    retryAfter(key) {
      const now = clock.now().getTime();
      const times = recent(key, now);
      if (times.length < options.limit) return 0;
      const oldest = times[times.length - options.limit] ?? now;
      return Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000));
    },
    record(key) {
      const now = clock.now().getTime();
      const times = recent(key, now);
      times.push(now);
      hits.delete(key);
      hits.set(key, times.slice(-options.limit));
      if (hits.size > MAX_KEYS) forgetOldest(hits, now - options.windowMs);
    },
  };
}

/** Drops keys whose hits have all left the window, then the least recently used until there is room. */
function forgetOldest(hits: Map<string, number[]>, windowStart: number): void {
  for (const [key, times] of hits) if ((times.at(-1) ?? 0) <= windowStart) hits.delete(key);
  for (const key of hits.keys()) {
    if (hits.size <= MAX_KEYS) break;
    hits.delete(key);
  }
}
