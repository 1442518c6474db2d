import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { systemClock } from "../shared/clock.js";
import { createFrontDoor } from "./front-door.js";
import { createPageCache } from "./page-cache.js";

const html = `<!doctype html><title>Budget passes</title><p>${"The assembly voted. ".repeat(100)}</p>`;
const cache = createPageCache({ enabled: true, maxBytes: 1_000_000, clock: systemClock });
const door = createFrontDoor(cache, { headers: { "x-frame-options": "SAMEORIGIN" } });
let routed: string[] = [];
let repeats = 0;
let server: Server;
let base: string;

/** The page the routes would have cached and answered at `/politics/budget`, remembered for the front door. */
function rememberBudgetPage() {
  const page = cache.store(
    "anon:/politics/budget",
    {
      status: 200,
      contentType: "text/html; charset=utf-8",
      body: Buffer.from(html),
      kind: "page",
      tags: ["article:1"],
    },
    cache.ticket(),
  );
  cache.rememberAddress("/politics/budget", { key: "anon:/politics/budget", page, onRepeat: () => repeats++ });
  return page;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (door.serve(req, res)) return;
    routed.push(`${req.method} ${req.url}`);
    res.writeHead(418).end("routed");
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("the front door", () => {
  test("answers a cookieless read of a remembered address without routing it, in every variant", async () => {
    routed = [];
    repeats = 0;
    const page = rememberBudgetPage();
    const plain = await fetch(`${base}/politics/budget`, { headers: { "accept-encoding": "identity" } });
    expect(plain.status).toBe(200);
    expect(await plain.text()).toBe(html);
    expect(plain.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(plain.headers.get("etag")).toBe(page.etag);
    expect(plain.headers.get("cache-control")).toMatch(/^public, max-age=30\b/);
    expect(plain.headers.get("cdn-cache-control")).toMatch(/^max-age=86400\b/);
    expect(plain.headers.get("content-length")).toBe(String(Buffer.byteLength(html)));

    const head = await fetch(`${base}/politics/budget`, { method: "HEAD", headers: { "accept-encoding": "identity" } });
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(html)));
    expect(await head.text()).toBe("");
    // A HEAD is answered but is not a read: what a repeat must also do (count a view) is not done.
    expect(repeats).toBe(1);

    const current = await fetch(`${base}/politics/budget`, {
      headers: { "if-none-match": page.etag, "accept-encoding": "identity" },
    });
    expect(current.status).toBe(304);

    const brotli = await fetch(`${base}/politics/budget`, { headers: { "accept-encoding": "br" } });
    expect(brotli.headers.get("content-encoding")).toBe("br");
    const brotliTag = brotli.headers.get("etag") ?? "";
    expect(brotliTag).toBe(`${page.etag.slice(0, -1)}-br"`);
    expect(await brotli.text()).toBe(html);

    // Each encoding's tag names its own bytes: a 304 in the encoding the client holds, the bytes in any other.
    const brotliAgain = { "if-none-match": brotliTag, "accept-encoding": "br" };
    expect((await fetch(`${base}/politics/budget`, { headers: brotliAgain })).status).toBe(304);
    const weakened = { "if-none-match": `W/${brotliTag}`, "accept-encoding": "br" };
    expect((await fetch(`${base}/politics/budget`, { headers: weakened })).status).toBe(304);
    const otherCoding = await fetch(`${base}/politics/budget`, {
      headers: { "if-none-match": brotliTag, "accept-encoding": "gzip" },
    });
    expect(otherCoding.status).toBe(200);
    expect(otherCoding.headers.get("etag")).toBe(`${page.etag.slice(0, -1)}-gzip"`);
    expect(await otherCoding.text()).toBe(html);

    expect(routed).toEqual([]);
    expect(repeats).toBe(6);
  });

  test("routes what it must not answer: cookies, credentials, other methods and addresses, changed pages", async () => {
    routed = [];
    rememberBudgetPage();
    await fetch(`${base}/politics/budget`, { headers: { cookie: "bs_session=abc" } });
    await fetch(`${base}/politics/budget`, { headers: { authorization: "Bearer x" } });
    await fetch(`${base}/politics/budget`, { method: "POST" });
    await fetch(`${base}/politics/budget?page=2`);
    cache.invalidate(["article:1"]);
    await fetch(`${base}/politics/budget`);
    expect(routed).toEqual([
      "GET /politics/budget",
      "GET /politics/budget",
      "POST /politics/budget",
      "GET /politics/budget?page=2",
      "GET /politics/budget",
    ]);
  });

  test("answers a read an address's answerer decides from its cookies, with the answer's own headers", async () => {
    routed = [];
    repeats = 0;
    const page = cache.store(
      "anon:full:/politics/metered",
      {
        status: 200,
        contentType: "text/html; charset=utf-8",
        body: Buffer.from(html),
        kind: "page",
        tags: ["article:2"],
      },
      cache.ticket(),
    );
    // Decides only a reader with the cookie it knows; the page for the used-up meter was never rendered.
    cache.rememberAnswerer(
      "/politics/metered",
      (req) => {
        if (req.headers.cookie === "meter=used-up") return { key: "anon:wall:/politics/metered", headers: {} };
        if (req.headers.cookie !== undefined && req.headers.cookie !== "meter=fresh") return undefined;
        const headers = { "cache-control": "private, no-cache", "set-cookie": "meter=counted" };
        return { key: "anon:full:/politics/metered", headers, onRepeat: () => repeats++ };
      },
      cache.ticket(),
    );
    for (const cookie of [undefined, "meter=fresh"]) {
      const res = await fetch(`${base}/politics/metered`, cookie ? { headers: { cookie } } : {});
      expect(await res.text()).toBe(html);
      expect(res.headers.get("etag")).toBe(`${page.etag.slice(0, -1)}-gzip"`);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("set-cookie")).toBe("meter=counted");
      expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
    await fetch(`${base}/politics/metered`, { method: "HEAD" });
    expect(repeats).toBe(2);
    await fetch(`${base}/politics/metered`, { headers: { cookie: "meter=used-up" } });
    await fetch(`${base}/politics/metered`, { headers: { cookie: "theme=dark" } });
    await fetch(`${base}/politics/metered`, { headers: { authorization: "Bearer x" } });
    // An invalidation drops every answerer, and one remembered with a ticket from before it is refused.
    const before = cache.ticket();
    cache.invalidate(["unrelated"]);
    await fetch(`${base}/politics/metered`);
    cache.rememberAnswerer("/politics/metered", () => ({ key: "anon:full:/politics/metered", headers: {} }), before);
    await fetch(`${base}/politics/metered`);
    expect(routed).toEqual(Array(5).fill("GET /politics/metered"));
  });

  test("answers decided with shared headers are made once yet stay each reader's own", async () => {
    routed = [];
    cache.store(
      "members:/politics/front",
      { status: 200, contentType: "text/html; charset=utf-8", body: Buffer.from(html), kind: "page", tags: ["home"] },
      cache.ticket(),
    );
    const signedIn = Object.freeze({ "cache-control": "private, no-cache", vary: "Accept-Encoding, Cookie" });
    const nobody = Object.freeze({});
    cache.rememberAnswerer(
      "/politics/front",
      (req) => {
        const cookie = req.headers.cookie ?? "";
        const headers = cookie.includes("session") ? signedIn : nobody;
        const meter = /meter=(\w+)/.exec(cookie)?.[1];
        return {
          key: "members:/politics/front",
          headers: meter ? { ...headers, "set-cookie": `meter=${meter}` } : headers,
        };
      },
      cache.ticket(),
    );
    // Alternating readers, twice over: each answer is remembered beside the others, never in their place.
    for (let round = 0; round < 2; round++) {
      for (const [cookie, isPrivate, setCookie] of [
        ["session=a", true, null],
        ["theme=x", false, null],
        ["session=b; meter=one", true, "meter=one"],
        ["meter=two", false, "meter=two"],
      ] as const) {
        const res = await fetch(`${base}/politics/front`, { headers: { cookie } });
        expect(await res.text()).toBe(html);
        expect(res.headers.get("set-cookie")).toBe(setCookie);
        expect(res.headers.get("cache-control") === "private, no-cache").toBe(isPrivate);
        expect(res.headers.get("surrogate-key") === null).toBe(isPrivate);
      }
    }
    expect(routed).toEqual([]);
  });

  test("once closed, sends everything on to the routes", async () => {
    routed = [];
    rememberBudgetPage();
    door.close();
    await fetch(`${base}/politics/budget`);
    expect(routed).toEqual(["GET /politics/budget"]);
  });
});
