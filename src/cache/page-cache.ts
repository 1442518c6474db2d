/**
 * The in-process cache of rendered pages for readers without a session. Entries carry tags naming what they
 * show; invalidating a tag drops exactly the pages that show it. Bounded by bytes (LRU). A page that shows
 * something with an end (the breaking-news strip) carries that time and is a miss from then on. It also remembers
 * which page answered a cookieless request for an address, so the front door can answer the next one. Shares are
 * budgets of their own, for pages at made-up addresses (search results), so those cannot push the others out.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Clock } from "../shared/clock.js";
import type { CachedKind } from "./cache-policy.js";

export type CachedPage = {
  status: number;
  contentType: string;
  body: Buffer;
  /** The identity body's; each compressed copy has its own (`cached-response.ts`). */
  etag: string;
  /** Which cache policy its answers carry (`cache-policy.ts`). */
  kind: CachedKind;
  /** For documents polled by date (feeds, sitemaps): answers If-Modified-Since. */
  lastModified?: string | undefined;
  tags: readonly string[];
  /** Surrogate keys the edge may purge it by besides its tags, which drop nothing here (`content-api-keys`). */
  edgeKeys?: readonly string[] | undefined;
  /** When what the page shows stops being true (an expiring strip): from then on it is not served. */
  expiresAt?: Date | undefined;
  /** Compressed copies, made the first time a client asks for them. */
  gzip?: Buffer;
  br?: Buffer;
};

export type RenderTicket = { generation: number };

/** What serving a page to a GET must also do besides sending it (count a view), given the request. */
export type OnRepeat = (req: IncomingMessage) => void;

/** The page cached at `key`, and what serving it again to a GET must also do. */
export type RememberedPage = { key: string; page: CachedPage; onRepeat?: OnRepeat | undefined };

/**
 * Which cached page answers a request for one address, decided from the request alone (its cookies, its method),
 * and the headers of its own that answer carries (a private Cache-Control, a renewed meter cookie). Undefined
 * sends the request on to the routes, which can ask the database.
 */
export type AddressAnswerer = (req: IncomingMessage) => DecidedAnswer | undefined;
export type DecidedAnswer = {
  key: string;
  headers: Readonly<Record<string, string>>;
  /** What answering a GET must also do (count a read, a view of the wall). */
  onRepeat?: OnRepeat | undefined;
};

export type PageCache = {
  readonly isEnabled: boolean;
  get(key: string): CachedPage | undefined;
  /** Call before reading what a page shows; `store` refuses the page if an invalidation happened since. */
  ticket(): RenderTicket;
  /** Keeps the page at `key`; in `share`, when named, within that share's budget rather than the main one. */
  store(key: string, page: Omit<CachedPage, "etag">, ticket: RenderTicket, share?: string): CachedPage;
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
  stats(): CacheStats;
};

type Usage = { entries: number; bytes: number; addresses: number };
/** The whole cache's usage, each share's, and how many addresses have an answerer. */
export type CacheStats = Usage & { shares: Record<string, Usage>; answerers: number };

export type PageCacheOptions = {
  enabled: boolean;
  /** The main budget: every page not stored in a share. */
  maxBytes: number;
  clock: Clock;
  /**
   * Parts of the cache with budgets of their own, for pages whose addresses anyone can make up (search results):
   * however many of them are stored, they push out only each other, never the pages in the main budget.
   */
  shares?: Readonly<Record<string, { maxBytes: number }>>;
};

export function etagFor(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

// Addresses are bounded by count and by their length in all: any query string makes a new one, up to 12,000
// characters long, and a crawler can make many. Each budget has its own.
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

/** One budget: its pages (LRU by bytes), their tags, and the addresses they answered. */
function createBudget(maxBytes: number) {
  const keysByTag = createIndex();
  const addressesByKey = createIndex();
  const addresses = new LRUCache<string, RememberedPage>({
    max: MAX_ADDRESSES,
    maxSize: MAX_ADDRESS_CHARS,
    sizeCalculation: (_remembered, address) => address.length + 64,
    dispose: (remembered, address) => addressesByKey.delete(remembered.key, address),
  });
  const pages = new LRUCache<string, CachedPage>({
    maxSize: maxBytes,
    sizeCalculation: (page) => page.body.length + (page.gzip?.length ?? 0) + (page.br?.length ?? 0) + 256,
    // A page that leaves takes its addresses with it: none keeps a dropped page's bytes alive.
    dispose: (page, key) => {
      for (const tag of page.tags) keysByTag.delete(tag, key);
      for (const address of addressesByKey.values(key)) addresses.delete(address);
    },
  });
  return {
    pages,
    addresses,
    store(key: string, page: CachedPage) {
      pages.set(key, page);
      for (const tag of page.tags) keysByTag.add(tag, key);
    },
    invalidate(tags: readonly string[]): number {
      let dropped = 0;
      for (const tag of tags) {
        for (const key of keysByTag.values(tag)) if (pages.delete(key)) dropped++;
      }
      return dropped;
    },
    remember(address: string, remembered: RememberedPage) {
      addresses.set(address, remembered);
      addressesByKey.add(remembered.key, address);
    },
    clear() {
      pages.clear();
      addresses.clear();
      keysByTag.clear();
      addressesByKey.clear();
    },
    usage(): Usage {
      return { entries: pages.size, bytes: pages.calculatedSize, addresses: addresses.size };
    },
  };
}
type Budget = ReturnType<typeof createBudget>;

/** The main budget and the shares, asked in that order: where a page is, where it goes, and what they hold. */
function createBudgets(options: PageCacheOptions) {
  const main = createBudget(options.maxBytes);
  const shares = new Map(Object.entries(options.shares ?? {}).map(([name, s]) => [name, createBudget(s.maxBytes)]));
  // The main budget first: most pages are there, and a lookup that finds one asks no other budget.
  const budgets: Budget[] = [main, ...shares.values()];

  const getIn = (budget: Budget, key: string): CachedPage | undefined => {
    const page = budget.pages.get(key);
    // Checked on every read, so an expired strip leaves every process's pages without a timer or a purge.
    if (page?.expiresAt && page.expiresAt <= options.clock.now()) {
      budget.pages.delete(key);
      return undefined;
    }
    return page;
  };

  return {
    get(key: string): CachedPage | undefined {
      for (const budget of budgets) {
        const page = getIn(budget, key);
        if (page) return page;
      }
      return undefined;
    },
    store(key: string, entry: CachedPage, share: string | undefined) {
      const budget = share === undefined ? main : shares.get(share);
      if (!budget) throw new Error(`the page cache has no share named ${share}`);
      for (const other of budgets) if (other !== budget) other.pages.delete(key);
      budget.store(key, entry);
    },
    invalidate(tags: readonly string[]): number {
      let dropped = 0;
      for (const budget of budgets) dropped += budget.invalidate(tags);
      return dropped;
    },
    rememberAddress(address: string, remembered: RememberedPage) {
      const budget = budgets.find((b) => b.pages.peek(remembered.key) === remembered.page);
      if (!budget) return;
      for (const other of budgets) if (other !== budget) other.addresses.delete(address);
      budget.remember(address, remembered);
    },
    pageAtAddress(address: string): RememberedPage | undefined {
      for (const budget of budgets) {
        const remembered = budget.addresses.get(address);
        // Identity as well as presence: an expired page is dropped by `get`, and a page replaced at its key
        // (rendered again after an invalidation) has dropped its addresses already.
        if (remembered) return getIn(budget, remembered.key) === remembered.page ? remembered : undefined;
      }
      return undefined;
    },
    clear() {
      for (const budget of budgets) budget.clear();
    },
    usage(): Usage & { shares: Record<string, Usage> } {
      const usages = budgets.map((b) => b.usage());
      const total = (field: keyof Usage) => usages.reduce((sum, u) => sum + u[field], 0);
      return {
        entries: total("entries"),
        bytes: total("bytes"),
        addresses: total("addresses"),
        shares: Object.fromEntries([...shares].map(([name, budget]) => [name, budget.usage()])),
      };
    },
  };
}

/** The budgets, behind the generation that refuses pages and answerers read before an invalidation. */
export function createPageCache(options: PageCacheOptions): PageCache {
  const budgets = createBudgets(options);
  // An answerer holds what it decides by (an article's access, the meter's settings), never a page: any
  // invalidation drops them all, and the routes remember them again as they answer.
  const answerers = new LRUCache<string, AddressAnswerer>({ max: MAX_ADDRESSES });
  let generation = 0;

  return {
    isEnabled: options.enabled,
    get(key) {
      return options.enabled ? budgets.get(key) : undefined;
    },
    ticket() {
      return { generation };
    },
    store(key, page, ticket, share) {
      const entry: CachedPage = { ...page, etag: etagFor(page.body) };
      // A page read before an invalidation may show what was just changed: serve it once, never keep it.
      if (!options.enabled || ticket.generation !== generation) return entry;
      budgets.store(key, entry, share);
      return entry;
    },
    invalidate(tags) {
      generation++;
      answerers.clear();
      return budgets.invalidate(tags);
    },
    rememberAddress(address, remembered) {
      if (options.enabled) budgets.rememberAddress(address, remembered);
    },
    pageAtAddress(address) {
      return budgets.pageAtAddress(address);
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
      budgets.clear();
    },
    stats() {
      return { ...budgets.usage(), answerers: answerers.size };
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
