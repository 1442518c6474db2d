/**
 * Per-IP rate limits on search and the Content API: past the limit, 429 with Retry-After until the window ends,
 * for that address only; counted together by every process on one database.
 */
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";

const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });
const LIMITS = { TRUST_PROXY: "true", SEARCH_RATE_LIMIT: "3", CONTENT_API_RATE_LIMIT: "2", RATE_LIMIT_WINDOW_S: "60" };

describe.each(databaseKinds())("rate limits on %s", (kind) => {
  // One app for the file's tests (an app start is seconds of CPU). Each test sets the clock to an hour of its own
  // and sends from addresses of its own, so no test's counts reach another's.
  const clock = fixedClock(new Date("2031-09-01T09:00:00Z"));
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind, clock, env: LIMITS });
  });
  afterAll(() => app.close());

  test("the search past the limit from one IP is 429 with Retry-After; others are served; the window ends", async () => {
    clock.set(new Date("2031-09-01T10:00:20Z"));
    // Each search a new one: a cookieless repeat of an address is answered at the front door, uncounted.
    for (const q of ["one", "two", "three"])
      expect((await app.get(`/search?q=${q}`, from("198.51.100.4"))).status).toBe(200);
    const refused = await app.get("/search?q=four", from("198.51.100.4"));
    const body = await refused.text();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("40");
    expect(body).toContain("Too many requests from your address");
    expect((await app.get("/search?q=four", from("198.51.100.5"))).status).toBe(200);
    // Another path is not limited.
    expect((await app.get("/", from("198.51.100.4"))).status).toBe(200);

    clock.advance(40_000);
    expect((await app.get("/search?q=five", from("198.51.100.4"))).status).toBe(200);
  });

  test("the Content API is limited likewise, answering in Ghost's error envelope", async () => {
    clock.set(new Date("2031-09-01T11:00:00Z"));
    await app.make.settings();
    const { key } = await createContentApiKey(app.db, "rate test");
    const settings = `/ghost/api/content/settings/?key=${key}`;
    for (let i = 0; i < 2; i++) expect((await app.get(settings, from("203.0.113.20"))).status).toBe(200);
    const refused = await app.get(settings, from("203.0.113.20"));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("60");
    const body = (await refused.json()) as { errors: Record<string, unknown>[] };
    expect(body.errors[0]).toMatchObject({ type: "TooManyRequestsError", code: "RATE_LIMITED" });
    expect((await app.get(settings, from("203.0.113.21"))).status).toBe(200);
    clock.advance(60_000);
    expect((await app.get(settings, from("203.0.113.20"))).status).toBe(200);
  });

  test("two app processes on one database count one IP's searches together", async () => {
    clock.set(new Date("2031-09-01T12:00:00Z"));
    const one = app;
    const two = await startApp({ template: "empty", clock, env: LIMITS, beside: one });
    // The second app on a database closes first: the first one owns the database.
    onTestFinished(() => two.close());
    const ip = "192.0.2.77";
    expect((await one.get("/search?q=alpha", from(ip))).status).toBe(200);
    expect((await one.get("/search?q=beta", from(ip))).status).toBe(200);
    expect((await two.get("/search?q=gamma", from(ip))).status).toBe(200);
    // What the timers do once a second, in order here.
    await one.built.limits.flush();
    await two.built.limits.flush();
    await one.built.limits.flush();
    // Each saw fewer than three, together three: both refuse the next.
    expect((await two.get("/search?q=delta", from(ip))).status).toBe(429);
    expect((await one.get("/search?q=delta", from(ip))).status).toBe(429);
    expect((await two.get("/search?q=delta", from("192.0.2.78"))).status).toBe(200);
    clock.advance(60_000);
    expect((await one.get("/search?q=epsilon", from(ip))).status).toBe(200);
  });
});
