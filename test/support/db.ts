/** Databases for data-layer tests: PGlite always, and the PostgreSQL server when TEST_DATABASE_URL is set. */
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/index.js";
import { copyDirectory } from "../../src/shared/copy-directory.js";

export type TestDatabaseKind = "pglite" | "postgres";

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** The kinds to run data tests on: `describe.each(databaseKinds())`. */
export function databaseKinds(): TestDatabaseKind[] {
  return TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export function testDatabaseUrl(): string | undefined {
  return TEST_DATABASE_URL;
}

/**
 * A copy of a template data directory: a migrated PGlite database, demo-seeded or empty, in the project's scratch
 * directory. An app on PostgreSQL keeps only its files there: `withDatabase: false` leaves out the embedded
 * database (about 40 MB in 1,200 files, seconds to copy and to delete on a busy disk).
 */
export async function copyTemplate(
  template: "demo" | "empty",
  options: { withDatabase?: boolean } = {},
): Promise<string> {
  const source = inject(template === "demo" ? "demoTemplateDir" : "emptyTemplateDir");
  const dir = join(inject("testScratchDir"), `data-${randomBytes(6).toString("hex")}`);
  const withDatabase = options.withDatabase ?? true;
  await copyDirectory(source, dir, (path) => withDatabase || !EMBEDDED_DATABASE.has(path.split("/")[0] ?? ""));
  return dir;
}

/** What the embedded database is in a data directory (db/data-dir.ts). */
const EMBEDDED_DATABASE = new Set(["pgdata", "pgdata.ready", "broadsheet.pid"]);

/**
 * Deletes a copy once its database is closed, without waiting: the test goes on meanwhile. One the worker's exit
 * cuts short goes with the scratch directory as the project ends (global-setup.ts).
 */
export function removeInBackground(dir: string): void {
  rm(dir, { recursive: true, force: true }).catch(() => undefined);
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
  const dataDir = await copyTemplate("empty", { withDatabase: kind === "pglite" });
  if (kind === "pglite") {
    const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
    return {
      kind,
      database,
      dataDir,
      async close() {
        await database.close();
        removeInBackground(dataDir);
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
      removeInBackground(dataDir);
    },
  };
}
