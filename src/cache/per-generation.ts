import type { PageCache } from "./page-cache.js";

/**
 * `load`'s result, read again only once the page cache's generation has moved on (after any invalidation): what
 * pages and answers read on every request but change only with the content (the site's settings, sections…).
 * A failed read is forgotten, so the next request tries again.
 */
export function perGeneration<T>(cache: PageCache, load: () => Promise<T>): () => Promise<T> {
  let memo: { generation: number; value: Promise<T> } | undefined;
  return () => {
    const { generation } = cache.ticket();
    if (!memo || memo.generation !== generation) {
      const value = load();
      memo = { generation, value };
      value.catch(() => {
        if (memo?.value === value) memo = undefined;
      });
    }
    return memo.value;
  };
}
