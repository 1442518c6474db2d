import { sql } from "drizzle-orm";
import { PgDatabase } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import type { OpenedDatabase } from "./open-database.js";
import { queryRows } from "./tx.js";
import { databaseWhenOpen } from "./when-open.js";

let opened: TestDatabase;
beforeAll(async () => {
  opened = await openTestDatabase("pglite");
});
afterAll(async () => {
  await opened.close();
});

/** An opening the test decides the end of. */
function heldOpening() {
  let open!: (value: OpenedDatabase) => void;
  let fail!: (err: Error) => void;
  const opening = new Promise<OpenedDatabase>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { opening, open, fail };
}

test("calls made while the database opens wait for it; its query builder is refused until then", async () => {
  const held = heldOpening();
  const database = databaseWhenOpen(held.opening, "pglite");
  expect(() => database.db.select()).toThrow("the database was used before it had opened (db.select)");

  let answered = false;
  const waiting = database.exec("SELECT 1").then(() => {
    answered = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answered).toBe(false);

  held.open({ database: opened.database, notes: [] });
  await waiting;
  expect(answered).toBe(true);
  const rows = await queryRows<{ answer: number }>(database.db, sql`SELECT 41 + 1 AS answer`);
  expect(rows).toEqual([{ answer: 42 }]);
  // drizzle's own checks of what a database is see the opened one.
  expect(database.db).toBeInstanceOf(PgDatabase);
  expect(database.kind).toBe("pglite");
});

test("a database that failed to open fails every call waiting on it with that failure", async () => {
  const held = heldOpening();
  const database = databaseWhenOpen(held.opening, "pglite");
  const waiting = database.exec("SELECT 1");
  held.fail(new Error("EACCES: the embedded database could not use /data"));
  await expect(waiting).rejects.toThrow("EACCES");
  await expect(database.notify("channel", "payload")).rejects.toThrow("EACCES");
  expect(() => database.db.execute(sql`SELECT 1`)).toThrow("used before it had opened");
});
