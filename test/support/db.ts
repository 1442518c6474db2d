/** Databases for data-layer tests: PGlite always, and the PostgreSQL server when TEST_DATABASE_URL is set. */
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/index.js";

export type TestDatabaseKind = "pglite" | "postgres";

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** The kinds to run data tests on: `describe.each(databaseKinds())`. */
export function databaseKinds(): TestDatabaseKind[] {
  return TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export function testDatabaseUrl(): string | undefined {
  return TEST_DATABASE_URL;
}

/** A copy of a template data directory: a migrated PGlite database, demo-seeded or empty. */
export function copyTemplate(template: "demo" | "empty"): string {
  const dir = mkdtempSync(join(tmpdir(), "broadsheet-test-"));
  cpSync(inject(template === "demo" ? "demoTemplateDir" : "emptyTemplateDir"), dir, { recursive: true });
  return dir;
}

/**
 * A fresh PostgreSQL database on the test server: empty, or `migrated` (a copy of the run's template, which
 * global-setup.ts migrated once: what opening it would otherwise do first). `drop()` drops it and resolves when it
 * is gone; `dropInBackground()` starts the same and returns at once (see below).
 */
export async function createPostgresDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void>; dropInBackground(): void }> {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  // Named by when and by which run (global-setup.ts drops those a worker's exit left, by these).
  const name = `broadsheet_test_${Date.now().toString(36)}_${inject("testDatabaseRun")}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${options.migrated ? ` TEMPLATE ${inject("postgresTemplate")}` : ""}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  return {
    url: url.toString(),
    drop,
    // PostgreSQL checkpoints to drop a database: seconds on a busy machine that the test need not wait for once its
    // app has closed. A drop the worker's exit cuts short is finished by global-setup.ts as the run ends.
    dropInBackground() {
      drop().catch(() => undefined);
    },
  };
}

export type TestDatabase = { kind: TestDatabaseKind; database: Database; dataDir: string; close(): Promise<void> };

/** An empty, migrated database of the given kind (opening it finds no migration left to run). */
export async function openTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const dataDir = copyTemplate("empty");
  if (kind === "pglite") {
    const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
    return {
      kind,
      database,
      dataDir,
      async close() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const pgDb = await createPostgresDatabase({ migrated: true });
  const { database } = await openDatabase({ dataDir, databaseUrl: pgDb.url, databasePoolSize: 4 });
  return {
    kind,
    database,
    dataDir,
    async close() {
      await database.close();
      pgDb.dropInBackground();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
