/** Holding and redeeming places in an offer, on PGlite and (with TEST_DATABASE_URL) on PostgreSQL. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { type Db, queryRows, withTransaction } from "../db/index.js";
import { holdOfferPlace, offerRefusalOf, recordRedemption } from "./offer-redemptions.js";
import { getOffer } from "./offers.js";

describe.each(databaseKinds())("offer places on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Db;
  const now = new Date("2031-05-06T10:00:00Z");
  let n = 0;

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
    db = testDb.database.db;
  });
  afterAll(() => testDb.close());

  const member = async () => {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO members (email, created_at) VALUES (${`m${++n}@example.test`}, now()) RETURNING id`,
    );
    return row!.id;
  };
  const offer = async (maxRedemptions: number | null) => {
    const code = `Place${++n}`;
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO offers (code, name, percent_off, currency, duration, max_redemptions, created_at, updated_at)
          VALUES (${code}, 'Test', 10, 'EUR', 'once', ${maxRedemptions}, now(), now()) RETURNING id`,
    );
    return { id: row!.id, code };
  };
  const hold = (code: string, memberId: string, at = now) =>
    holdOfferPlace(db, { code, memberId, interval: "month", now: at, currency: "EUR" });

  test("twenty members holding at once get exactly the limit's places; the rest are told it is exhausted", async () => {
    const { id, code } = await offer(5);
    const members = await Promise.all(Array.from({ length: 20 }, () => member()));
    const results = await Promise.allSettled(members.map((m) => hold(code, m)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    const refusals = results.flatMap((r) => (r.status === "rejected" ? [offerRefusalOf(r.reason)] : []));
    expect(refusals).toEqual(Array(15).fill("exhausted"));
    expect(await getOffer(db, { id, now })).toMatchObject({ held: 5, redeemed: 0 });
  });

  test("a member starting again keeps one place; a used offer is refused; a lapsed hold frees its place", async () => {
    const { id, code } = await offer(1);
    const first = await member();
    const a = await hold(code, first);
    const b = await hold(code, first);
    expect(b.holdId).toBe(a.holdId);
    await expect(hold(code, await member())).rejects.toMatchObject({ code: "OFFER_EXHAUSTED" });
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const other = await member();
    const c = await hold(code, other, later);
    await withTransaction(db, (tx) =>
      recordRedemption(tx, { offerId: id, memberId: other, subscriptionId: "sub_x1", now: later }),
    );
    expect(await getOffer(db, { id, now: later })).toMatchObject({ held: 0, redeemed: 1 });
    await expect(hold(code, other, later)).rejects.toMatchObject({ code: "OFFER_ALREADY_USED" });
    expect(c.offer.id).toBe(id);
  });

  test("recording one subscription's redemption many times at once records it once", async () => {
    const { id } = await offer(null);
    const m = await member();
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withTransaction(db, (tx) =>
          recordRedemption(tx, { offerId: id, memberId: m, subscriptionId: `sub_once${n}`, now }),
        ),
      ),
    );
    expect(await getOffer(db, { id, now })).toMatchObject({ redeemed: 1, held: 0 });
  });
});
