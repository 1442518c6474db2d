import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { openTestDatabase } from "../../test/support/db.js";
import { keepTablesTidy } from "./tidy.js";
import { queryRows } from "./tx.js";

test("the embedded database is vacuumed and its planner statistics renewed on a timer", async () => {
  const { database, close } = await openTestDatabase("pglite");
  const statisticsOf = async (table: string) =>
    (
      await queryRows<{ n: number }>(
        database.db,
        sql`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = ${table}`,
      )
    )[0]?.n;
  try {
    await database.exec("CREATE TABLE planner_sample AS SELECT g AS n FROM generate_series(1, 500) g");
    expect(await statisticsOf("planner_sample")).toBe(0);
    const stop = keepTablesTidy(database, { firstAfterMs: 10, everyMs: 60_000 });
    await expect.poll(() => statisticsOf("planner_sample")).toBe(1);
    stop();
  } finally {
    await close();
  }
});
