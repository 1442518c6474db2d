/** `broadsheet staff:two-factor-off`: the operator's way back in for someone who lost their authenticator. */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { runCli } from "../support/cli.js";
import { copyTemplate } from "../support/db.js";

const dataDir = await copyTemplate("empty");
const dbConfig = { dataDir, databaseUrl: undefined, databasePoolSize: 1 };

beforeAll(async () => {
  const { database } = await openDatabase(dbConfig);
  const [staff] = await queryRows<{ id: string }>(
    database.db,
    sql`INSERT INTO staff (email, name, slug, role) VALUES ('lost.phone@example.test', 'Lost Phone', 'lost-phone', 'editor') RETURNING id`,
  );
  await database.db.execute(
    sql`INSERT INTO staff_two_factor (staff_id, secret, confirmed_at) VALUES (${staff!.id}, 'v1.sealed', now())`,
  );
  await database.close();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir, LOG_LEVEL: "silent", SEED_DEMO: "false" });

test("turns two-factor sign-in off for a staff member by address, and says so", async () => {
  const off = await cli("staff:two-factor-off", "Lost.Phone@example.test");
  expect(off.output).toContain("two-factor sign-in is off for lost.phone@example.test");
  expect(off.code).toBe(0);
  const { database } = await openDatabase(dbConfig);
  try {
    expect(await queryRows(database.db, sql`SELECT 1 FROM staff_two_factor`)).toEqual([]);
  } finally {
    await database.close();
  }
  expect((await cli("staff:two-factor-off", "lost.phone@example.test")).output).toContain("had no two-factor sign-in");
});

test("an unknown address is named in a one-line error, and nothing changes", async () => {
  const run = await cli("staff:two-factor-off", "nobody@example.test");
  expect(run.code).toBe(1);
  expect(run.output).toContain("No staff account has the address nobody@example.test");
});
