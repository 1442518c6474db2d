import { sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { createPostgresDatabase, openTestDatabase, testDatabaseUrl } from "../../test/support/db.js";
import { openPostgres } from "./client.js";
import { listMigrations, migrate } from "./migrate.js";
import { queryRows } from "./tx.js";

test("migrating an up-to-date database applies nothing and changes nothing", async () => {
  const { database, close } = await openTestDatabase("pglite");
  try {
    expect(await migrate(database)).toEqual({ applied: [] });
    const rows = await queryRows<{ name: string }>(database.db, sql`SELECT name FROM schema_migrations ORDER BY name`);
    expect(rows.map((r) => r.name)).toEqual(listMigrations());
  } finally {
    await close();
  }
});

describe.runIf(testDatabaseUrl())("migrations on a PostgreSQL server", () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  test("several processes starting at once apply each migration exactly once", async () => {
    const target = await createPostgresDatabase();
    drops.push(target.drop);
    const processes = await Promise.all([1, 2, 3, 4].map(() => openPostgres(target.url, 2)));
    try {
      const results = await Promise.all(processes.map((database) => migrate(database)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(listMigrations());
      const rows = await queryRows<{ name: string }>(
        processes[0]!.db,
        sql`SELECT name FROM schema_migrations ORDER BY name`,
      );
      expect(rows.map((r) => r.name)).toEqual(listMigrations());
    } finally {
      await Promise.all(processes.map((database) => database.close()));
    }
  });
});
