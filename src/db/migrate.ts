/** Applies the committed SQL migrations in order, each in its own transaction, under an advisory lock. */
import { readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { fromCodeRoot } from "../shared/code-root.js";
import type { Database } from "./client.js";
import { queryRows } from "./tx.js";

const MIGRATIONS_DIR = fromCodeRoot("../src/db/migrations/");
const MIGRATION_LOCK_KEY = 72_410_001;

export function listMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

export async function migrate(database: Database): Promise<{ applied: string[] }> {
  const files = listMigrations();
  return database.withAdvisoryLock(MIGRATION_LOCK_KEY, async (exec) => {
    await exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set(((await exec("SELECT name FROM schema_migrations")) as { name: string }[]).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      const body = readFileSync(MIGRATIONS_DIR + file, "utf8").replaceAll("--> statement-breakpoint", "");
      try {
        await exec(`BEGIN;\n${body}\n;INSERT INTO schema_migrations (name) VALUES ('${file}');\nCOMMIT;`);
      } catch (err) {
        await exec("ROLLBACK").catch(() => undefined);
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
    return { applied };
  });
}

export async function pendingMigrations(database: Database): Promise<string[]> {
  const result = await queryRows<{ name: string }>(database.db, sql`SELECT name FROM schema_migrations`);
  const done = new Set(result.map((r) => r.name));
  return listMigrations().filter((f) => !done.has(f));
}
