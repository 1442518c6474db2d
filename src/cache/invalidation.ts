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

/** `observe` hears every invalidation, local or from another process (sessions watch members' tags). */
export async function startCacheInvalidation(
  cache: PageCache,
  database: Database,
  observe: (tags: readonly string[]) => void,
): Promise<CacheInvalidator> {
  const origin = randomBytes(6).toString("hex");
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
      // NOTIFY payloads are capped at 8000 bytes: send long tag lists in parts.
      for (let i = 0; i < tags.length; i += 100) {
        await database.notify(CHANNEL, [origin, ...tags.slice(i, i + 100)].join(" "));
      }
    },
    stop: stopListening,
  };
}
