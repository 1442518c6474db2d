import { describe, expect, test } from "vitest";
import { fixedClock, systemClock } from "../shared/clock.js";
import { createPageCache, type PageCache } from "./page-cache.js";

const page = (html: string, tags: string[]) => ({
  status: 200,
  contentType: "text/html",
  body: Buffer.from(html),
  kind: "page" as const,
  tags,
});

describe("the page cache", () => {
  test("invalidating a tag drops exactly the pages carrying it", () => {
    const cache = createPageCache({ enabled: true, maxBytes: 1_000_000, clock: systemClock });
    cache.store("/a", page("a", ["article:1", "home"]), cache.ticket());
    cache.store("/b", page("b", ["article:2"]), cache.ticket());
    expect(cache.invalidate(["article:1"])).toBe(1);
    expect(cache.get("/a")).toBeUndefined();
    expect(cache.get("/b")?.body.toString()).toBe("b");
  });

  test("a page read before an invalidation is served but not kept", () => {
    const cache = createPageCache({ enabled: true, maxBytes: 1_000_000, clock: systemClock });
    const ticket = cache.ticket();
    cache.invalidate(["article:1"]);
    const served = cache.store("/a", page("stale", ["article:1"]), ticket);
    expect(served.body.toString()).toBe("stale");
    expect(cache.get("/a")).toBeUndefined();
  });

  test("memory stays within the limit by dropping the least recently used pages", () => {
    const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
    for (let i = 0; i < 50; i++) cache.store(`/p${i}`, page("x".repeat(1000), [`article:${i}`]), cache.ticket());
    expect(cache.stats().bytes).toBeLessThanOrEqual(10_000);
    expect(cache.get("/p49")).toBeDefined();
    expect(cache.get("/p0")).toBeUndefined();
  });

  test("a switched-off cache stores nothing", () => {
    const cache = createPageCache({ enabled: false, maxBytes: 10_000, clock: systemClock });
    cache.store("/a", page("a", []), cache.ticket());
    expect(cache.get("/a")).toBeUndefined();
  });

  test("the same body always gets the same ETag", () => {
    const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
    const one = cache.store("/a", page("same", []), cache.ticket());
    const two = cache.store("/b", page("same", []), cache.ticket());
    expect(one.etag).toBe(two.etag);
    expect(one.etag).toMatch(/^"[\w-]+"$/);
  });

  test("a page that shows something with an end is a miss from that moment on", () => {
    const clock = fixedClock(new Date("2031-05-01T12:00:00Z"));
    const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock });
    const expiresAt = new Date("2031-05-01T13:00:00Z");
    cache.store("/a", { ...page("strip", ["site"]), expiresAt }, cache.ticket());
    clock.set(new Date("2031-05-01T12:59:59Z"));
    expect(cache.get("/a")?.body.toString()).toBe("strip");
    clock.set(expiresAt);
    expect(cache.get("/a")).toBeUndefined();
    expect(cache.stats().entries).toBe(0);
  });

  describe("remembered addresses", () => {
    const remember = (cache: PageCache, address: string, key: string) => {
      const cached = cache.get(key);
      if (!cached) throw new Error(`nothing cached at ${key}`);
      cache.rememberAddress(address, { key, page: cached });
      return cached;
    };

    test("an address answers with its page until the page is invalidated", () => {
      const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
      cache.store("anon:/a", page("a", ["article:1"]), cache.ticket());
      const cached = remember(cache, "/a?utm=x", "anon:/a");
      expect(cache.pageAtAddress("/a?utm=x")?.page).toBe(cached);
      expect(cache.pageAtAddress("/a")).toBeUndefined();
      cache.invalidate(["article:1"]);
      expect(cache.stats().addresses).toBe(0);
      expect(cache.pageAtAddress("/a?utm=x")).toBeUndefined();
    });

    test("a page rendered again at its key is not answered for the old one's addresses", () => {
      const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
      cache.store("anon:/a", page("old", []), cache.ticket());
      remember(cache, "/a", "anon:/a");
      cache.store("anon:/a", page("new", []), cache.ticket());
      expect(cache.stats().addresses).toBe(0);
      expect(cache.pageAtAddress("/a")).toBeUndefined();
      expect(cache.get("anon:/a")?.body.toString()).toBe("new");
    });

    test("a page that expires or is evicted takes its addresses with it", () => {
      const clock = fixedClock(new Date("2031-05-01T12:00:00Z"));
      const cache = createPageCache({ enabled: true, maxBytes: 5_000, clock });
      cache.store(
        "anon:/strip",
        { ...page("strip", ["site"]), expiresAt: new Date("2031-05-01T13:00:00Z") },
        cache.ticket(),
      );
      remember(cache, "/strip", "anon:/strip");
      clock.set(new Date("2031-05-01T13:00:00Z"));
      expect(cache.pageAtAddress("/strip")).toBeUndefined();

      cache.store("anon:/b", page("b", []), cache.ticket());
      remember(cache, "/b", "anon:/b");
      for (let i = 0; i < 10; i++) cache.store(`anon:/filler${i}`, page("x".repeat(1000), []), cache.ticket());
      expect(cache.get("anon:/b")).toBeUndefined();
      // Forgotten, not just unanswered: no address keeps a dropped page's bytes alive.
      expect(cache.stats().addresses).toBe(0);
    });

    test("addresses are bounded by their length in all, however many query strings a crawler makes", () => {
      const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
      cache.store("anon:/section/a?page=1", page("a", []), cache.ticket());
      for (let i = 0; i < 1_000; i++)
        remember(cache, `/section/a?junk=${i}${"x".repeat(10_000)}`, "anon:/section/a?page=1");
      expect(cache.stats().addresses).toBeLessThan(420);
      expect(cache.pageAtAddress(`/section/a?junk=999${"x".repeat(10_000)}`)).toBeDefined();
    });

    test("a page that is not the one cached at its key is not remembered, nor anything when switched off", () => {
      const cache = createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock });
      const ticket = cache.ticket();
      cache.invalidate(["article:1"]);
      const servedOnce = cache.store("anon:/a", page("stale", ["article:1"]), ticket);
      cache.rememberAddress("/a", { key: "anon:/a", page: servedOnce });
      expect(cache.pageAtAddress("/a")).toBeUndefined();

      const off = createPageCache({ enabled: false, maxBytes: 10_000, clock: systemClock });
      const page0 = off.store("anon:/a", page("a", []), off.ticket());
      off.rememberAddress("/a", { key: "anon:/a", page: page0 });
      expect(off.pageAtAddress("/a")).toBeUndefined();
    });
  });

  describe("shares", () => {
    const withShare = () =>
      createPageCache({ enabled: true, maxBytes: 10_000, clock: systemClock, shares: { search: { maxBytes: 5_000 } } });

    test("pages in a share push out only each other, never the pages in the main budget", () => {
      const cache = withShare();
      cache.store("anon:/a", page("x".repeat(4000), ["article:1"]), cache.ticket());
      for (let i = 0; i < 100; i++) {
        cache.store(`anon:/search?q=${i}`, page("y".repeat(1000), ["site", "search"]), cache.ticket(), "search");
      }
      expect(cache.get("anon:/a")).toBeDefined();
      expect(cache.get("anon:/search?q=99")).toBeDefined();
      expect(cache.get("anon:/search?q=0")).toBeUndefined();
      const stats = cache.stats();
      expect(stats.shares.search?.bytes).toBeLessThanOrEqual(5_000);
      expect(stats.bytes - (stats.shares.search?.bytes ?? 0)).toBeGreaterThan(4_000);
    });

    test("invalidation, tickets and remembered addresses work in a share as in the main budget", () => {
      const cache = withShare();
      const stale = cache.ticket();
      cache.store("anon:/search?q=a", page("a", ["search"]), cache.ticket(), "search");
      const cached = cache.get("anon:/search?q=a");
      if (!cached) throw new Error("not stored");
      cache.rememberAddress("/search?q=a&x=1", { key: "anon:/search?q=a", page: cached });
      expect(cache.pageAtAddress("/search?q=a&x=1")?.page).toBe(cached);
      expect(cache.invalidate(["search"])).toBe(1);
      expect(cache.pageAtAddress("/search?q=a&x=1")).toBeUndefined();
      expect(cache.stats().addresses).toBe(0);
      cache.store("anon:/search?q=b", page("b", ["search"]), stale, "search");
      expect(cache.get("anon:/search?q=b")).toBeUndefined();
    });

    test("a share must be named when the cache is made", () => {
      const cache = withShare();
      expect(() => cache.store("k", page("k", []), cache.ticket(), "elsewhere")).toThrow(/no share named elsewhere/);
    });
  });
});
