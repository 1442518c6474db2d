/**
 * The in-process cache of rendered pages for readers without a session. Entries carry tags naming what they
 * show; invalidating a tag drops exactly the pages that show it. Bounded by bytes (LRU). A page that shows
 * something with an end (the breaking-news strip) carries that time and is a miss from then on.
 */
import { createHash } from "node:crypto";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Clock } from "../shared/clock.js";

export type CachedPage = {
  status: number;
  contentType: string;
  body: Buffer;
  etag: string;
  tags: readonly string[];
  /** When what the page shows stops being true (an expiring strip): from then on it is not served. */
  expiresAt?: Date | undefined;
  /** Compressed copies, made the first time a client asks for them. */
  gzip?: Buffer;
  br?: Buffer;
};

export type RenderTicket = { generation: number };

export type PageCache = {
  readonly isEnabled: boolean;
  get(key: string): CachedPage | undefined;
  /** Call before reading what a page shows; `store` refuses the page if an invalidation happened since. */
  ticket(): RenderTicket;
  store(key: string, page: Omit<CachedPage, "etag">, ticket: RenderTicket): CachedPage;
  invalidate(tags: readonly string[]): number;
  clear(): void;
  stats(): { entries: number; bytes: number };
};

export function etagFor(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

export function createPageCache(options: { enabled: boolean; maxBytes: number; clock: Clock }): PageCache {
  const byTag = new Map<string, Set<string>>();
  let generation = 0;
  const lru = new LRUCache<string, CachedPage>({
    maxSize: options.maxBytes,
    sizeCalculation: (page) => page.body.length + (page.gzip?.length ?? 0) + (page.br?.length ?? 0) + 256,
    dispose: (page, key) => {
      for (const tag of page.tags) {
        const keys = byTag.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) byTag.delete(tag);
      }
    },
  });

  return {
    isEnabled: options.enabled,
    get(key) {
      if (!options.enabled) return undefined;
      const page = lru.get(key);
      // Checked on every read, so an expired strip leaves every process's pages without a timer or a purge.
      if (page?.expiresAt && page.expiresAt <= options.clock.now()) {
        lru.delete(key);
        return undefined;
      }
      return page;
    },
    ticket() {
      return { generation };
    },
    store(key, page, ticket) {
      const entry: CachedPage = { ...page, etag: etagFor(page.body) };
      // A page read before an invalidation may show what was just changed: serve it once, never keep it.
      if (!options.enabled || ticket.generation !== generation) return entry;
      lru.set(key, entry);
      for (const tag of entry.tags) {
        const keys = byTag.get(tag) ?? new Set<string>();
        keys.add(key);
        byTag.set(tag, keys);
      }
      return entry;
    },
    invalidate(tags) {
      generation++;
      let dropped = 0;
      for (const tag of tags) {
        const keys = byTag.get(tag);
        if (!keys) continue;
        for (const key of [...keys]) if (lru.delete(key)) dropped++;
      }
      return dropped;
    },
    clear() {
      generation++;
      lru.clear();
    },
    stats() {
      return { entries: lru.size, bytes: lru.calculatedSize };
    },
  };
}

export function compressedBody(page: CachedPage, encoding: "gzip" | "br"): Buffer {
  if (encoding === "gzip") {
    page.gzip ??= gzipSync(page.body, { level: 6 });
    return page.gzip;
  }
  page.br ??= brotliCompressSync(page.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
  return page.br;
}
