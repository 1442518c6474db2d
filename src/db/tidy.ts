/**
 * The embedded database runs no autovacuum: nothing refreshes the planner's statistics as the paper grows, and
 * the old versions of edited rows stay in the tables. Search depends on the statistics (walk the newest
 * articles, or read the text index?), so both are seen to here: a minute after start, then daily. A server
 * database does this itself.
 */
import type { Database } from "./client.js";

/**
 * Starts the rounds; the returned function stops them. Failures wait for the next round. While a round runs,
 * queries wait for it (the embedded database has one connection): seconds, once a day, on a large paper. It runs
 * in the database's thread, so pages from the cache are served meanwhile.
 */
export function keepTablesTidy(
  database: Pick<Database, "exec">,
  timing = { firstAfterMs: 60_000, everyMs: 24 * 60 * 60_000 },
): () => void {
  const tidy = () => database.exec("VACUUM ANALYZE").catch(() => undefined);
  let daily: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tidy();
    daily = setInterval(tidy, timing.everyMs).unref();
  }, timing.firstAfterMs).unref();
  return () => {
    clearTimeout(first);
    clearInterval(daily);
  };
}
