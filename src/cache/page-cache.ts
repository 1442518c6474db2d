/**
 * The in-process cache of rendered pages for readers without a session. Entries carry tags naming what they
 * show; invalidating a tag drops exactly the pages that show it. Bounded by bytes (LRU). A page that shows
 * something with an end (the breaking-news strip) carries that time and is a miss from then on. It also remembers
 * which page answered a cookieless request for an address, so the front door can answer the next one.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Clock } from "../shared/clock.js";

export type CachedPage = {
  status: number;
  contentType: string;
  body: Buffer;
  etag: string;
  cacheControl: string;
  /** For documents polled by date (feeds, sitemaps): answers If-Modified-Since. */
  lastModified?: string | undefined;
  tags: readonly string[];
  /** When what the page shows stops being true (an expiring strip): from then on it is not served. */
  expiresAt?: Date | undefined;
  /** Compressed copies, made the first time a client asks for them. */
  gzip?: Buffer;
  br?: Buffer;
};

export type RenderTicket = { generation: number };

/** The page cached at `key`, and what serving it again to a GET must also do (count a view) besides sending it. */
export type RememberedPage = { key: string; page: CachedPage; onRepeat?: (() => void) | undefined };

/**
 * Which cached page answers a request for one address, decided from the request alone (its cookies, its method),
 * and the headers of its own that answer carries (a private Cache-Control, a renewed meter cookie). Undefined
 * sends the request on to the routes, which can ask the database.
 */
export type AddressAnswerer = (req: IncomingMessage) => DecidedAnswer | undefined;
export type DecidedAnswer = {
  key: string;
  headers: Readonly<Record<string, string>>;
  /** What answering a GET must also do (count a view of the wall). */
  onRepeat?: (() => void) | undefined;
};

export type PageCache = {
  readonly isEnabled: boolean;
  get(key: string): CachedPage | undefined;
  /** Call before reading what a page shows; `store` refuses the page if an invalidation happened since. */
  ticket(): RenderTicket;
  store(key: string, page: Omit<CachedPage, "etag">, ticket: RenderTicket): CachedPage;
  invalidate(tags: readonly string[]): number;
  /** The page answered a cookieless GET of `address` and will answer the next one, while it stays at its key. */
  rememberAddress(address: string, remembered: RememberedPage): void;
  /** The page remembered for `address`, if it is still the one cached at its key. */
  pageAtAddress(address: string): RememberedPage | undefined;
  /**
   * Requests for `address` with cookies (or whose answer is personal) may be decided by `answerer` until the next
   * invalidation; refused when one happened since `ticket`, as `store` refuses a page.
   */
  rememberAnswerer(address: string, answerer: AddressAnswerer, ticket: RenderTicket): void;
  answererAt(address: string): AddressAnswerer | undefined;
  clear(): void;
  stats(): { entries: number; bytes: number; addresses: number; answerers: number };
};

export function etagFor(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

// Addresses are bounded by count and by their length in all: any query string makes a new one, up to 12,000
// characters long, and a crawler can make many.
const MAX_ADDRESSES = 20_000;
const MAX_ADDRESS_CHARS = 4 * 1024 * 1024;

/** Sets of strings by string, with empty sets dropped. */
function createIndex() {
  const sets = new Map<string, Set<string>>();
  return {
    add(name: string, value: string) {
      const values = sets.get(name) ?? new Set<string>();
      values.add(value);
      sets.set(name, values);
    },
    delete(name: string, value: string) {
      const values = sets.get(name);
      values?.delete(value);
      if (values?.size === 0) sets.delete(name);
    },
    /** The values under `name`, a copy, so the caller may delete while going through them. */
    values(name: string): string[] {
      return [...(sets.get(name) ?? [])];
    },
    clear() {
      sets.clear();
    },
  };
}

export function createPageCache(options: { enabled: boolean; maxBytes: number; clock: Clock }): PageCache {
  const keysByTag = createIndex();
  const addressesByKey = createIndex();
  const addresses = new LRUCache<string, RememberedPage>({
    max: MAX_ADDRESSES,
    maxSize: MAX_ADDRESS_CHARS,
    sizeCalculation: (_remembered, address) => address.length + 64,
    dispose: (remembered, address) => addressesByKey.delete(remembered.key, address),
  });
  // An answerer holds what it decides by (an article's access, the meter's settings), never a page: any
  // invalidation drops them all, and the routes remember them again as they answer.
  const answerers = new LRUCache<string, AddressAnswerer>({ max: MAX_ADDRESSES });
  let generation = 0;
  const lru = new LRUCache<string, CachedPage>({
    maxSize: options.maxBytes,
    sizeCalculation: (page) => page.body.length + (page.gzip?.length ?? 0) + (page.br?.length ?? 0) + 256,
    // A page that leaves takes its addresses with it: none keeps a dropped page's bytes alive.
    dispose: (page, key) => {
      for (const tag of page.tags) keysByTag.delete(tag, key);
      for (const address of addressesByKey.values(key)) addresses.delete(address);
    },
  });

  const get = (key: string): CachedPage | undefined => {
    if (!options.enabled) return undefined;
    const page = lru.get(key);
    // Checked on every read, so an expired strip leaves every process's pages without a timer or a purge.
    if (page?.expiresAt && page.expiresAt <= options.clock.now()) {
      lru.delete(key);
      return undefined;
    }
    return page;
  };

  return {
    isEnabled: options.enabled,
    get,
    ticket() {
      return { generation };
    },
    store(key, page, ticket) {
      const entry: CachedPage = { ...page, etag: etagFor(page.body) };
      // A page read before an invalidation may show what was just changed: serve it once, never keep it.
      if (!options.enabled || ticket.generation !== generation) return entry;
      lru.set(key, entry);
      for (const tag of entry.tags) keysByTag.add(tag, key);
      return entry;
    },
    invalidate(tags) {
      generation++;
      answerers.clear();
      let dropped = 0;
      for (const tag of tags) {
        for (const key of keysByTag.values(tag)) if (lru.delete(key)) dropped++;
      }
      return dropped;
    },
    rememberAddress(address, remembered) {
      if (!options.enabled || lru.peek(remembered.key) !== remembered.page) return;
      addresses.set(address, remembered);
      addressesByKey.add(remembered.key, address);
    },
    pageAtAddress(address) {
      const remembered = addresses.get(address);
      // Identity as well as presence: an expired page is dropped by `get`, and a page replaced at its key
      // (rendered again after an invalidation) has dropped its addresses already.
      return remembered && get(remembered.key) === remembered.page ? remembered : undefined;
    },
    rememberAnswerer(address, answerer, ticket) {
      if (options.enabled && ticket.generation === generation) answerers.set(address, answerer);
    },
    answererAt(address) {
      return answerers.get(address);
    },
    clear() {
      generation++;
      answerers.clear();
      lru.clear();
      addresses.clear();
      keysByTag.clear();
      addressesByKey.clear();
    },
    stats() {
      return { entries: lru.size, bytes: lru.calculatedSize, addresses: addresses.size, answerers: answerers.size };
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
