import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { listMigrations, pendingMigrations } from "./migrate.js";
import { openDatabase } from "./open-database.js";
import { writeDatabaseTemplate } from "./template.js";
import { queryRows } from "./tx.js";

let root: string;
let template: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "broadsheet-db-template-"));
  template = join(root, "template");
  expect(await writeDatabaseTemplate(template)).toEqual(listMigrations());
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const configFor = (dataDir: string) => ({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });

test("a first start copies the template: every migration is there already and none runs again", async () => {
  const dataDir = join(root, "first");
  const { database, notes } = await openDatabase(configFor(dataDir), { templateDir: template });
  try {
    expect(notes).toEqual([]);
    expect(await pendingMigrations(database)).toEqual([]);
    await database.exec("INSERT INTO sections (name, slug, position) VALUES ('Harbour', 'harbour', 1)");
    const rows = await queryRows<{ slug: string }>(database.db, sql`SELECT slug FROM sections`);
    expect(rows.map((r) => r.slug)).toEqual(["harbour"]);
  } finally {
    await database.close();
  }
  expect(existsSync(join(dataDir, "pgdata.ready"))).toBe(true);
  // The template is copied, never written: the next first start finds it as the build left it.
  const { database: second } = await openDatabase(configFor(join(root, "second")), { templateDir: template });
  try {
    expect(await queryRows(second.db, sql`SELECT slug FROM sections`)).toEqual([]);
  } finally {
    await second.close();
  }
});

test("a copy interrupted before the database opened is set aside, and the template copied again", async () => {
  const dataDir = join(root, "interrupted");
  const { database } = await openDatabase(configFor(dataDir), { templateDir: template });
  await database.close();
  // As a start killed mid-copy leaves it: no ready marker, and a file cut short.
  unlinkSync(join(dataDir, "pgdata.ready"));
  writeFileSync(join(dataDir, "pgdata", "PG_VERSION"), "");
  const { database: again, notes } = await openDatabase(configFor(dataDir), { templateDir: template });
  try {
    expect(notes.join("\n")).toMatch(/an interrupted first start left .*pgdata\.incomplete-/);
    expect(await pendingMigrations(again)).toEqual([]);
  } finally {
    await again.close();
  }
});

test("without a template (running from source) a first start creates the database and applies every migration", async () => {
  const dataDir = join(root, "no-template");
  const { database, notes } = await openDatabase(configFor(dataDir), { templateDir: join(root, "nothing-here") });
  try {
    expect(notes).toEqual([`applied migrations ${listMigrations().join(", ")}`]);
  } finally {
    await database.close();
  }
}, 120_000);
