/** A member's meter on the server, on PGlite and (with TEST_DATABASE_URL) on PostgreSQL. */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { type Db, queryRows } from "../db/index.js";
import { peekMeteredRead, recordMeteredRead } from "./meter.js";

describe.each(databaseKinds())("a member's meter on %s", (kind) => {
  let testDb: TestDatabase;
  let db: Db;
  let n = 0;
  const at = new Date("2031-05-06T10:00:00Z");

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
    db = testDb.database.db;
  });
  afterAll(() => testDb.close());

  const member = async () => {
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO members (email, created_at) VALUES (${`meter${++n}@example.test`}, now()) RETURNING id`,
    );
    return row!.id;
  };

  test("a peek reports the meter as a read would, and counts nothing", async () => {
    const memberId = await member();
    const [read, other] = [randomUUID(), randomUUID()];
    const month = "2031-05";
    expect(await peekMeteredRead(db, { memberId, articleId: read, month })).toEqual({ used: 0, alreadyCounted: false });
    expect(await peekMeteredRead(db, { memberId, articleId: read, month })).toEqual({ used: 0, alreadyCounted: false });

    await recordMeteredRead(db, { memberId, articleId: read, month, allowance: 3, at });
    expect(await peekMeteredRead(db, { memberId, articleId: read, month })).toEqual({ used: 1, alreadyCounted: true });
    expect(await peekMeteredRead(db, { memberId, articleId: other, month })).toEqual({
      used: 1,
      alreadyCounted: false,
    });
    expect(await peekMeteredRead(db, { memberId, articleId: other, month: "2031-06" })).toEqual({
      used: 0,
      alreadyCounted: false,
    });
    // The read after the peeks still finds only the one counted before them.
    expect(await recordMeteredRead(db, { memberId, articleId: other, month, allowance: 3, at })).toEqual({
      used: 1,
      alreadyCounted: false,
    });
  });
});
