/**
 * Attempt limits shared by every process through the database. An attempt is reserved before the work it
 * guards (a password check, an emailed link), under a per-key transaction lock, so a burst of simultaneous
 * requests cannot all pass the check before any of them is counted.
 */
import { createHash } from "node:crypto";
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { type Db, withTransaction } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { attempts } from "./schema.js";

export type LimitDeps = { db: Db; clock: Clock };

/**
 * At most `limit` attempts per key in `windowMs`. With `growingDelay`, attempts past the limit are not
 * refused for the whole window: each may follow the one before it after a delay that doubles every time.
 */
export type AttemptRule = {
  scope: string;
  key: string;
  limit: number;
  windowMs: number;
  growingDelay?: { firstMs: number; maxMs: number };
};

export type Reservation =
  | { kind: "reserved"; ids: string[] }
  | { kind: "limited"; retryAfterSeconds: number; scopes: string[] };

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** Seconds until one more attempt is allowed for a key with these earlier attempts (oldest first); 0: now. */
export function waitForNextAttempt(rule: AttemptRule, earlier: Date[], now: Date): number {
  const inWindow = earlier.filter((at) => at.getTime() > now.getTime() - rule.windowMs);
  if (inWindow.length < rule.limit) return 0;
  let allowedAt: number;
  if (rule.growingDelay) {
    const beyond = inWindow.length - rule.limit;
    const delay = Math.min(rule.growingDelay.maxMs, rule.growingDelay.firstMs * 2 ** Math.min(beyond, 30));
    // The delay runs from the latest attempt; once the window has passed, the oldest leave it anyway.
    const fromLatest = (inWindow.at(-1)?.getTime() ?? 0) + delay;
    const windowFrees = (inWindow[inWindow.length - rule.limit]?.getTime() ?? 0) + rule.windowMs;
    allowedAt = Math.min(fromLatest, windowFrees);
  } else {
    allowedAt = (inWindow[inWindow.length - rule.limit]?.getTime() ?? 0) + rule.windowMs;
  }
  const ms = allowedAt - now.getTime();
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}

/**
 * Reserves one attempt under every rule, or none: when any rule is exhausted nothing is counted, so a
 * refused request does not extend its own wait. Keys are locked in one order, so two reservations never
 * wait on each other in a circle.
 */
export async function reserveAttempts(deps: LimitDeps, rules: AttemptRule[]): Promise<Reservation> {
  const now = deps.clock.now();
  const keyed = rules
    .map((rule) => ({ rule, keyHash: hashKey(rule.key) }))
    .sort((a, b) => `${a.rule.scope} ${a.keyHash}`.localeCompare(`${b.rule.scope} ${b.keyHash}`));
  return withTransaction(deps.db, async (tx) => {
    let wait = 0;
    const refused: string[] = [];
    for (const { rule, keyHash } of keyed) {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${rule.scope} ${keyHash}`}, 0))`);
      const match = and(eq(attempts.scope, rule.scope), eq(attempts.keyHash, keyHash));
      await tx.delete(attempts).where(and(match, lte(attempts.at, new Date(now.getTime() - rule.windowMs))));
      const earlier = await tx
        .select({ at: attempts.at })
        .from(attempts)
        .where(and(match, gt(attempts.at, new Date(now.getTime() - rule.windowMs))))
        .orderBy(asc(attempts.at));
      const seconds = waitForNextAttempt(
        rule,
        earlier.map((r) => r.at),
        now,
      );
      if (seconds > 0) {
        wait = Math.max(wait, seconds);
        refused.push(rule.scope);
      }
    }
    if (refused.length) return { kind: "limited", retryAfterSeconds: wait, scopes: refused };
    const rows = await tx
      .insert(attempts)
      .values(keyed.map(({ rule, keyHash }) => ({ scope: rule.scope, keyHash, at: now })))
      .returning({ id: attempts.id });
    return { kind: "reserved", ids: rows.map((r) => r.id) };
  });
}

/** Gives reserved attempts back: the work they guarded succeeded, so they count against no one. */
export async function releaseAttempts(deps: Pick<LimitDeps, "db">, ids: string[]): Promise<void> {
  if (ids.length) await deps.db.delete(attempts).where(inArray(attempts.id, ids));
}

/** Forgets every attempt counted for a key, e.g. an address and IP after a successful sign-in. */
export async function forgetAttempts(deps: Pick<LimitDeps, "db">, input: { scope: string; key: string }) {
  await deps.db.delete(attempts).where(and(eq(attempts.scope, input.scope), eq(attempts.keyHash, hashKey(input.key))));
}

/** Deletes attempts older than any window: keys that are never tried again would otherwise stay for ever. */
export async function pruneAttempts(deps: LimitDeps, input: { olderThanMs: number }): Promise<void> {
  await deps.db.delete(attempts).where(lte(attempts.at, new Date(deps.clock.now().getTime() - input.olderThanMs)));
}
