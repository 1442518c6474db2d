/**
 * Request rates per key (a client's IP) in fixed windows, counted in this process, so a check costs no query,
 * and shared with the other processes on the same database by `flush`, once a second: each adds its new counts
 * to `request_counts` and reads back the totals of the keys it knows. Across processes a limit holds to within
 * what arrives between two flushes.
 */
import { createHash } from "node:crypto";
import { and, gte, inArray, lt, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { type Db, queryRows } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { requestCounts } from "./schema.js";

/** At most `limit` requests per key in each window of `windowMs` (windows start at multiples of it). */
export type RateRule = { limit: number; windowMs: number };

export type RateLimiter = {
  /** Counts one request of `key` in `scope`: 0, or, with the window's limit reached, the seconds to wait (counting nothing). */
  take(scope: string, key: string): number;
  /** Adds this process's new counts to the shared table and reads back the totals of the keys it knows. */
  flush(): Promise<void>;
};

/** One key's window: the total all processes had counted at the last flush, and this process's counts since. */
type KeyCount = {
  scope: string;
  keyHash: string;
  windowStart: number;
  shared: number;
  sending: number;
  unsent: number;
};

// Keys kept per process: a flood from made-up addresses evicts the quietest, which then start again from what the
// table says at the next flush.
const MAX_KEYS = 100_000;
// Rows per statement, well under PostgreSQL's 65,535 parameters.
const CHUNK = 5_000;
const PRUNE_EVERY_MS = 60_000;

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** A PostgreSQL array literal of plain values (scopes, hex hashes, dates, numbers: nothing to escape but quotes). */
const textArray = (values: string[]) => `{${values.map((v) => `"${v.replaceAll('"', '\\"')}"`).join(",")}}`;

function ruleIn(rules: Readonly<Record<string, RateRule>>, scope: string): RateRule {
  const rule = rules[scope];
  if (!rule) throw new Error(`no rate rule named ${scope}`);
  return rule;
}

const windowStartOf = (rule: RateRule, now: number) => now - (now % rule.windowMs);
const total = (c: KeyCount) => c.shared + c.sending + c.unsent;

/** A total read from the table: the others' counts and this process's sent ones, never less than known. */
function learnTotal(counts: LRUCache<string, KeyCount>, row: CountRow, sent: boolean): void {
  const known = counts.peek(`${row.scope} ${row.keyHash}`);
  if (!known || known.windowStart !== row.windowStart.getTime()) return;
  if (sent) known.sending = 0;
  known.shared = Math.max(known.shared, row.count);
}

export function createRateLimiter(
  deps: { db: Db; clock: Clock },
  rules: Readonly<Record<string, RateRule>>,
): RateLimiter {
  const counts = new LRUCache<string, KeyCount>({ max: MAX_KEYS });
  const longestWindow = Math.max(...Object.values(rules).map((r) => r.windowMs));
  let flushing: Promise<void> | undefined;
  let lastPrune = 0;

  const ruleOf = (scope: string) => ruleIn(rules, scope);
  const learn = (row: CountRow, sent: boolean) => learnTotal(counts, row, sent);

  async function share(): Promise<void> {
    const now = deps.clock.now().getTime();
    const current = [...counts.values()].filter((c) => c.windowStart === windowStartOf(ruleOf(c.scope), now));
    // One order for every process, so two flushes never wait on each other's rows in a circle.
    const batch = current
      .filter((c) => c.unsent > 0)
      .sort((a, b) => `${a.scope} ${a.keyHash}`.localeCompare(`${b.scope} ${b.keyHash}`));
    for (const c of batch) {
      c.sending = c.unsent;
      c.unsent = 0;
    }
    try {
      for (let i = 0; i < batch.length; i += CHUNK) {
        for (const row of await addCounts(deps.db, batch.slice(i, i + CHUNK))) learn(row, true);
      }
    } catch (err) {
      // Kept for the next flush: the counts still hold here meanwhile.
      for (const c of batch) {
        c.unsent += c.sending;
        c.sending = 0;
      }
      throw err;
    }
    // Keys with no new requests here may have had some elsewhere: the busiest first.
    const sent = new Set(batch);
    const quiet = current
      .filter((c) => !sent.has(c))
      .sort((a, b) => total(b) - total(a))
      .slice(0, CHUNK);
    if (quiet.length > 0) for (const row of await readTotals(deps.db, quiet)) learn(row, false);
    if (now - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now;
      await deps.db.delete(requestCounts).where(lt(requestCounts.windowStart, new Date(now - 2 * longestWindow)));
    }
  }

  return {
    take(scope, key) {
      const rule = ruleOf(scope);
      const now = deps.clock.now().getTime();
      const windowStart = windowStartOf(rule, now);
      const keyHash = hashKey(key);
      const id = `${scope} ${keyHash}`;
      let count = counts.get(id);
      if (!count || count.windowStart !== windowStart) {
        count = { scope, keyHash, windowStart, shared: 0, sending: 0, unsent: 0 };
        counts.set(id, count);
      }
      if (total(count) >= rule.limit) return Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000));
      count.unsent++;
      return 0;
    },
    flush() {
      flushing ??= share().finally(() => {
        flushing = undefined;
      });
      return flushing;
    },
  };
}

type CountRow = { scope: string; keyHash: string; windowStart: Date; count: number };

/** Adds the counts being sent to the shared table, in one statement, and reads back each key's new total. */
async function addCounts(db: Db, chunk: KeyCount[]): Promise<CountRow[]> {
  // Four arrays rather than four parameters a row: a crowd of addresses makes thousands of rows a second.
  const rows = await queryRows<{ scope: string; key_hash: string; window_start: Date | string; count: number }>(
    db,
    sql`INSERT INTO request_counts (scope, key_hash, window_start, count)
        SELECT * FROM unnest(${textArray(chunk.map((c) => c.scope))}::text[],
                             ${textArray(chunk.map((c) => c.keyHash))}::text[],
                             ${textArray(chunk.map((c) => new Date(c.windowStart).toISOString()))}::timestamptz[],
                             ${textArray(chunk.map((c) => String(c.sending)))}::int[])
        ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET count = request_counts.count + excluded.count
        RETURNING scope, key_hash, window_start, count`,
  );
  return rows.map((r) => ({
    scope: r.scope,
    keyHash: r.key_hash,
    windowStart: new Date(r.window_start),
    count: r.count,
  }));
}

/** The shared totals of keys this process knows but has nothing new for. */
function readTotals(db: Db, quiet: KeyCount[]): Promise<CountRow[]> {
  return db
    .select()
    .from(requestCounts)
    .where(
      and(
        inArray(
          requestCounts.keyHash,
          quiet.map((c) => c.keyHash),
        ),
        gte(requestCounts.windowStart, new Date(Math.min(...quiet.map((c) => c.windowStart)))),
      ),
    );
}
