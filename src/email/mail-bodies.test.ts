import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { queryRows } from "../db/index.js";
import { enqueueJobs } from "../jobs/index.js";
import { createBodyReader, fillBody, pruneMailBodies, storeMailBody } from "./mail-bodies.js";

const DAY_MS = 24 * 60 * 60_000;
const SLOT = "https://member-link.invalid/slot";

describe.each(databaseKinds())("shared mail bodies on %s", (kind) => {
  let opened: TestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await opened.close();
  });

  test("a stored body is read once, as one object for every message, and filled with each one's own link", async () => {
    const { db } = opened.database;
    const stored = { html: `<a href="${SLOT}">Leave</a>`, text: `Leave: ${SLOT}` };
    const id = await storeMailBody(db, stored, new Date());
    const read = createBodyReader(db);
    const [one, two] = await Promise.all([
      read({ id, slot: SLOT, fill: "https://paper.example/u?token=one" }),
      read({ id, slot: SLOT, fill: "https://paper.example/u?token=two" }),
    ]);
    expect(one).toEqual(stored);
    // What is made from a body once (its encoded parts) is kept beside that one object.
    expect(two).toBe(one);
    expect(await read({ id, slot: SLOT, fill: "" })).toBe(one);
    expect(fillBody(stored, { slot: SLOT, fill: "https://paper.example/u?token=one" })).toEqual({
      html: '<a href="https://paper.example/u?token=one">Leave</a>',
      text: "Leave: https://paper.example/u?token=one",
    });
    expect(await read({ id: "00000000-0000-4000-8000-000000000000", slot: SLOT, fill: "x" })).toBeUndefined();
  });

  test("bodies no job names are pruned a day after they were stored; named ones stay", async () => {
    const { db } = opened.database;
    const storedAt = new Date("2031-01-01T00:00:00Z");
    const named = await storeMailBody(db, { html: "named", text: "named" }, storedAt);
    const unnamed = await storeMailBody(db, { html: "unnamed", text: "unnamed" }, storedAt);
    const recent = await storeMailBody(db, { html: "recent", text: "recent" }, new Date(storedAt.getTime() + DAY_MS));
    await enqueueJobs(db, [{ kind: "mail.send", payload: { body: { id: named, slot: SLOT, fill: "" } } }]);

    await pruneMailBodies(db, new Date(storedAt.getTime() + DAY_MS + 60_000));
    const left = await queryRows<{ id: string }>(db, sql`SELECT id FROM mail_bodies`);
    const ids = left.map((row) => row.id);
    expect(ids).toContain(named);
    expect(ids).toContain(recent);
    expect(ids).not.toContain(unnamed);
  });
});
