import { describe, expect, test } from "vitest";
import { fixedClock, systemClock } from "../shared/clock.js";
import { createPageCache } from "./page-cache.js";

const page = (html: string, tags: string[]) => ({
  status: 200,
  contentType: "text/html",
  body: Buffer.from(html),
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
});
