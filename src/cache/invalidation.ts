/** Carries cache invalidations to every process on the same database, by PostgreSQL LISTEN/NOTIFY. */
import { randomBytes } from "node:crypto";
import type { Database } from "../db/index.js";
import type { PageCache } from "./page-cache.js";

const CHANNEL = "broadsheet_page_cache";

export type CacheInvalidator = {
  /** Drops the tagged pages here and tells the other processes to drop theirs. */
  invalidate(tags: readonly string[]): Promise<void>;
  stop(): Promise<void>;
};

/**
 * `observe` hears every invalidation, local or from another process (sessions watch members' tags); `afterLocal`
 * only those made here, once every process has been told (the CDN is purged once per change, by its maker).
 */
export async function startCacheInvalidation(
  cache: PageCache,
  database: Database,
  observe: (tags: readonly string[]) => void,
  afterLocal?: (tags: readonly string[]) => void | Promise<void>,
): Promise<CacheInvalidator> {
  const origin = newOrigin();
  const dropHere = (tags: readonly string[]) => {
    cache.invalidate(tags);
    observe(tags);
  };
  const stopListening = await database.listen(CHANNEL, (payload) => {
    const [from, ...tags] = payload.split(" ");
    if (from !== origin) dropHere(tags);
  });
  return {
    async invalidate(tags) {
      if (tags.length === 0) return;
      dropHere(tags);
      await notify(database, origin, tags);
      await afterLocal?.(tags);
    },
    stop: stopListening,
  };
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
