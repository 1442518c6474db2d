/**
 * Whether a Content API key may read, asked of the database once per key per page cache generation rather than
 * on every request. Any invalidation starts a new generation; creating or revoking a key announces
 * `CONTENT_API_KEYS_TAG` (the command line NOTIFYs every process), so a revoked key is refused from the next
 * request on, cached answers included.
 */
import { LRUCache } from "lru-cache";
import type { PageCache } from "../cache/index.js";
import type { Queryable } from "../db/index.js";
import { isActiveContentApiKey, isWellFormedContentApiKey } from "./api-keys.js";

// Keys nobody was given: remembered so a client repeating a bad key costs no query, bounded so made-up keys
// can't fill memory or push the real keys out.
const MAX_UNKNOWN_KEYS = 1000;

export type ContentApiKeyCheck = (key: string) => Promise<boolean>;

type Checked = { generation: number; isActive: Promise<boolean> };

export function createContentApiKeyCheck(deps: { db: Queryable; cache: PageCache }): ContentApiKeyCheck {
  // A key found active stays here, however many unknown keys come by; there are only as many as were made.
  const active = new Map<string, Checked>();
  const unknown = new LRUCache<string, Checked>({ max: MAX_UNKNOWN_KEYS });
  return (key) => {
    if (!isWellFormedContentApiKey(key)) return Promise.resolve(false);
    const { generation } = deps.cache.ticket();
    const known = active.get(key) ?? unknown.get(key);
    if (known?.generation === generation) return known.isActive;
    active.delete(key);
    // The generation is the one before the query: an invalidation while it runs makes the answer a miss next time.
    const answer: Checked = { generation, isActive: isActiveContentApiKey(deps.db, key) };
    unknown.set(key, answer);
    answer.isActive.then(
      (isActive) => {
        if (unknown.peek(key) !== answer) return;
        if (isActive) {
          unknown.delete(key);
          active.set(key, answer);
        }
      },
      () => {
        // A failed query (the database is down) is asked again by the next request.
        if (unknown.peek(key) === answer) unknown.delete(key);
      },
    );
    return answer.isActive;
  };
}
