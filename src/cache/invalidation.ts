/** Carries cache invalidations to every process on the same database, by PostgreSQL LISTEN/NOTIFY. */
import { randomBytes } from "node:crypto";
import { type Database, type Queryable, type Tx, withTransaction } from "../db/index.js";
import type { PageCache } from "./page-cache.js";

const CHANNEL = "broadsheet_page_cache";

/** What a change's transaction must also hold for the tags it invalidates (the CDN's purge jobs), or nothing. */
export type ChangeRecorder = (tx: Queryable, tags: readonly string[]) => Promise<void>;

export type CacheInvalidator = {
  /** Drops the tagged pages here and tells the other processes to drop theirs; nothing is recorded. */
  invalidate(tags: readonly string[]): Promise<void>;
  /**
   * Runs `change` in one transaction, records what it invalidates in that transaction, and once it has committed
   * drops those pages here and in every process. A change that rolls back records and drops nothing.
   */
  commit<T extends { invalidates: readonly string[] }>(change: (tx: Tx) => Promise<T>): Promise<T>;
  /** For a change that holds its own transaction: records there what it invalidates; `invalidate` after commit. */
  record(tx: Queryable, tags: readonly string[]): Promise<void>;
  stop(): Promise<void>;
};

/**
 * `observe` hears every invalidation, local or from another process (sessions watch members' tags); `recordChange`
 * writes, inside a change's own transaction, what must outlive a crash right after its commit (ADR 0010).
 */
export async function startCacheInvalidation(
  cache: PageCache,
  database: Database,
  observe: (tags: readonly string[]) => void,
  recordChange?: ChangeRecorder,
): Promise<CacheInvalidator> {
  const { invalidator, listening } = createCacheInvalidator(cache, database, observe, recordChange);
  await listening;
  return invalidator;
}

/**
 * The invalidator at once, and when it hears the other processes (`listening`): a server starting builds its
 * routes with it while the database opens, and serves only once it listens.
 */
export function createCacheInvalidator(
  cache: PageCache,
  database: Database,
  observe: (tags: readonly string[]) => void,
  recordChange?: ChangeRecorder,
): { invalidator: CacheInvalidator; listening: Promise<void> } {
  const origin = newOrigin();
  const dropHere = (tags: readonly string[]) => {
    cache.invalidate(tags);
    observe(tags);
  };
  const stopListening = database.listen(CHANNEL, (payload) => {
    const [from, ...tags] = payload.split(" ");
    if (from !== origin) dropHere(tags);
  });
  // Awaited by whoever waits for `listening`; a failure is theirs to report, not an unhandled rejection.
  stopListening.catch(() => undefined);
  const invalidate = async (tags: readonly string[]) => {
    if (tags.length === 0) return;
    dropHere(tags);
    await notify(database, origin, tags);
  };
  const record = async (tx: Queryable, tags: readonly string[]) => {
    if (tags.length > 0) await recordChange?.(tx, tags);
  };
  const invalidator: CacheInvalidator = {
    invalidate,
    record,
    async commit(change) {
      const result = await withTransaction(database.db, async (tx) => {
        const changed = await change(tx);
        await record(tx, changed.invalidates);
        return changed;
      });
      await invalidate(result.invalidates);
      return result;
    },
    stop: async () => (await stopListening)(),
  };
  const listening = stopListening.then(() => undefined);
  // A start that fails before it waits for this (the database never opened) reports that failure instead.
  listening.catch(() => undefined);
  return { invalidator, listening };
}

/**
 * Tells every serving process to drop the tagged pages, from a process that serves none (the command line, after
 * it revokes a Content API key).
 */
export async function announceInvalidation(database: Database, tags: readonly string[]): Promise<void> {
  if (tags.length > 0) await notify(database, newOrigin(), tags);
}

function newOrigin(): string {
  return randomBytes(6).toString("hex");
}

async function notify(database: Database, origin: string, tags: readonly string[]): Promise<void> {
  // NOTIFY payloads are capped at 8000 bytes: send long tag lists in parts.
  for (let i = 0; i < tags.length; i += 100) {
    await database.notify(CHANNEL, [origin, ...tags.slice(i, i + 100)].join(" "));
  }
}
