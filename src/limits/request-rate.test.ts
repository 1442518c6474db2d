import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { queryRows } from "../db/index.js";
import { fixedClock } from "../shared/clock.js";
import { createRateLimiter } from "./request-rate.js";

const MINUTE = 60_000;

describe.each(databaseKinds())("request rates on %s", (kind) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
  });
  afterAll(async () => testDb.close());

  const limiterAt = (clock: ReturnType<typeof fixedClock>, limit = 3) =>
    createRateLimiter({ db: testDb.database.db, clock }, { search: { limit, windowMs: MINUTE } });

  test("past the limit a key waits for the window's end, counting nothing; other keys and the next window are free", () => {
    const clock = fixedClock(new Date("2031-03-01T10:00:15Z"));
    const limiter = limiterAt(clock);
    expect([1, 2, 3].map(() => limiter.take("search", "198.51.100.1"))).toEqual([0, 0, 0]);
    expect(limiter.take("search", "198.51.100.1")).toBe(45);
    clock.advance(30_000);
    expect(limiter.take("search", "198.51.100.1")).toBe(15);
    expect(limiter.take("search", "198.51.100.2")).toBe(0);
    clock.advance(15_000);
    expect(limiter.take("search", "198.51.100.1")).toBe(0);
  });

  test("two processes on one database count together once each has flushed", async () => {
    const clock = fixedClock(new Date("2031-03-01T11:00:00Z"));
    const one = limiterAt(clock, 4);
    const two = limiterAt(clock, 4);
    const ip = "203.0.113.9";
    expect([one.take("search", ip), one.take("search", ip)]).toEqual([0, 0]);
    expect([two.take("search", ip), two.take("search", ip)]).toEqual([0, 0]);
    await one.flush();
    await two.flush();
    // The second learnt the first's two when it added its own.
    expect(two.take("search", ip)).toBeGreaterThan(0);
    // The first had nothing new to add: it reads the total back for the keys it knows.
    await one.flush();
    expect(one.take("search", ip)).toBeGreaterThan(0);
    expect(one.take("search", "203.0.113.10")).toBe(0);

    const rows = await queryRows<{ key_hash: string; count: number }>(
      testDb.database.db,
      sql`SELECT key_hash, count FROM request_counts WHERE window_start = ${new Date("2031-03-01T11:00:00Z")}`,
    );
    // Stored as SHA-256, never the address.
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    expect(rows.map((r) => r.count).sort()).toEqual([4]);
    clock.advance(MINUTE);
    expect([one.take("search", ip), two.take("search", ip)]).toEqual([0, 0]);
  });

  test("a flush that fails keeps the counts for the next one", async () => {
    const clock = fixedClock(new Date("2031-03-01T12:00:00Z"));
    const failing = createRateLimiter(
      {
        db: {
          insert: () => {
            throw new Error("out of reach");
          },
        } as never,
        clock,
      },
      { search: { limit: 2, windowMs: MINUTE } },
    );
    expect(failing.take("search", "192.0.2.1")).toBe(0);
    await expect(failing.flush()).rejects.toThrow();
    expect(failing.take("search", "192.0.2.1")).toBe(0);
    expect(failing.take("search", "192.0.2.1")).toBeGreaterThan(0);
  });

  test("rows of windows long gone are pruned", async () => {
    const clock = fixedClock(new Date("2031-03-02T09:00:00Z"));
    const limiter = limiterAt(clock);
    limiter.take("search", "192.0.2.50");
    await limiter.flush();
    clock.advance(10 * MINUTE);
    limiter.take("search", "192.0.2.51");
    await limiter.flush();
    const [old] = await queryRows<{ n: number }>(
      testDb.database.db,
      sql`SELECT count(*)::int AS n FROM request_counts WHERE window_start = ${new Date("2031-03-02T09:00:00Z")}`,
    );
    expect(old?.n).toBe(0);
  });
});
