/**
 * The front door answers repeated cookieless reads from the page cache before Fastify routes them. Over a real
 * port, its answers must be the routes' answers: the same status, headers and bytes in every variant.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;

beforeAll(async () => {
  // A clock that stands still: no scheduled article falls due and no strip ends while the test compares.
  app = await startApp({ clock: fixedClock(new Date()) });
});
afterAll(async () => app.close());

/** Everything a client sees of a response but the moment it was sent. */
async function seen(res: Response) {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== "date") headers[name] = value;
  });
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()).toString("base64") };
}

// An unrelated cookie leaves the reader anonymous but keeps the request away from the front door.
const ROUTED = { cookie: "theme=dark" };

test("a repeated anonymous read is answered as the routes answer it, in every variant", async () => {
  const home = await app.html("/");
  const article = home.match(/href="(\/[a-z0-9-]+\/[a-z0-9-]+)"/)?.[1];
  if (!article) throw new Error("no article linked from the home page");
  for (const path of ["/", article, "/section/politics", "/feed", "/sitemap.xml"]) {
    const first = await app.get(path);
    expect(first.status, path).toBe(200);
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    expect(app.built.cache.pageAtAddress(path), path).toBeDefined();
    const variants: RequestInit[] = [
      { headers: { "accept-encoding": "identity" } },
      { headers: { "accept-encoding": "gzip" } },
      { headers: { "accept-encoding": "br" } },
      { method: "HEAD", headers: { "accept-encoding": "identity" } },
      { headers: { "if-none-match": etag } },
    ];
    for (const variant of variants) {
      const routed = await seen(await app.get(path, { ...variant, headers: { ...variant.headers, ...ROUTED } }));
      const answered = await seen(await app.get(path, variant));
      expect(answered, `${variant.method ?? "GET"} ${path} ${JSON.stringify(variant.headers)}`).toEqual(routed);
    }
    // Still remembered: every answer compared above came from the front door.
    expect(app.built.cache.pageAtAddress(path), path).toBeDefined();
  }
});

test("Accept-Encoding weights choose the same coding at the front door, in the routes and for assets", async () => {
  const home = await app.html("/");
  const stylesheet = home.match(/href="(\/assets\/[^"]+\.css)"/)?.[1];
  if (!stylesheet) throw new Error("no stylesheet linked from the home page");
  // null: the bytes as they are, without Content-Encoding.
  const choices: [string, string | null][] = [
    ["gzip, br;q=0", "gzip"],
    ["br;q=0, gzip;q=0", null],
    ["br;q=0.5, gzip", "gzip"],
    ["*", "br"],
    ["*;q=0, gzip", "gzip"],
    ["br;q=0, *", "gzip"],
    ["identity;q=0", null],
  ];
  for (const path of ["/", "/feed"]) {
    await (await app.get(path)).arrayBuffer();
    for (const [accept, coding] of choices) {
      const headers = { "accept-encoding": accept };
      const routed = await seen(await app.get(path, { headers: { ...headers, ...ROUTED } }));
      const answered = await seen(await app.get(path, { headers }));
      expect(routed.headers["content-encoding"] ?? null, `${path} ${accept}`).toBe(coding);
      expect(answered, `${path} ${accept}`).toEqual(routed);
    }
    expect(app.built.cache.pageAtAddress(path), path).toBeDefined();
  }
  for (const [accept, coding] of choices) {
    const asset = await app.get(stylesheet, { headers: { "accept-encoding": accept } });
    expect(asset.headers.get("content-encoding"), `${stylesheet} ${accept}`).toBe(coding);
    expect(await asset.text()).toContain("{");
  }
});

test("pages that depend on the reader or on time are never answered at the front door", async () => {
  const before = app.built.cache.stats().addresses;
  // An account page and the sign-in form: neither is kept, so neither is remembered.
  for (const path of ["/account", "/sign-in"]) {
    await (await app.get(path)).arrayBuffer();
    await (await app.get(path)).arrayBuffer();
  }
  expect(app.built.cache.stats().addresses).toBe(before);
});
