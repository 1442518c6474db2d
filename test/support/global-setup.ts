/**
 * Two embedded data directories (migrated; one with the demo newspaper, one empty) so each test starts from a
 * copy in milliseconds instead of creating a database. Building them takes the better part of a minute, so they
 * are kept in node_modules/.cache under a hash of everything they are made from (src/ and the locked
 * dependencies) and built again only when that changes. What builds them is imported only then: loading the app
 * through Vitest's transform costs seconds that a run with the templates at hand need not spend. The integration and browser projects both list this
 * file; whichever starts first builds them, the other waits for the same build.
 *
 * With TEST_DATABASE_URL, the same for PostgreSQL: a migrated database on that server, named after the same hash,
 * that each test's database is created from (CREATE DATABASE … TEMPLATE, half a second) instead of running every
 * migration on an empty one (seconds each, dozens of times a run).
 */
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplateDir: string;
    emptyTemplateDir: string;
    /** The migrated PostgreSQL database tests' databases are made from; "" without TEST_DATABASE_URL. */
    postgresTemplate: string;
    /** src/main.ts compiled to JavaScript with the rest of src/ (compiled-source.ts), for tests that spawn it. */
    compiledMain: string;
    /** Names this project's run in its test databases' names, so its teardown drops those left. */
    testDatabaseRun: string;
    /** Where this project's tests copy data directories (test/support/db.ts); deleted as the project ends. */
    testScratchDir: string;
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "node_modules/.cache/broadsheet-test-templates");
const HOUR = 3_600_000;

const DAY = 24 * HOUR;
const SETUP_FILES = ["test/support/global-setup.ts", "test/support/compiled-source.ts"];

type Templates = { demo: string; empty: string; main: string; postgres: string };

/** What the templates are made of: src/ but its tests (code, migrations, the demo paper), the lock file, the setup. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .sort();
  for (const file of [...files.map((f) => join("src", f)), "package-lock.json", ...SETUP_FILES]) {
    try {
      hash.update(file).update(readFileSync(join(ROOT, file)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EISDIR") throw err;
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** A data directory as a first start makes it: the database template copied, then settings (and the demo paper). */
async function buildTemplate(dir: string, seedDemo: boolean, databaseTemplate: string): Promise<void> {
  const [{ buildApp }, { loadConfig }, { openDatabase }] = await Promise.all([
    import("../../src/app.js"),
    import("../../src/config.js"),
    import("../../src/db/index.js"),
  ]);
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: String(seedDemo), LOG_LEVEL: "silent" });
  const built = await buildApp(config, { opening: openDatabase(config, { templateDir: databaseTemplate }) });
  await built.app.close();
}

async function cachedTemplates(): Promise<Templates> {
  const key = sourceHash();
  const postgres = process.env.TEST_DATABASE_URL ? postgresTemplate(process.env.TEST_DATABASE_URL, key) : "";
  const [dirs, postgresName] = await Promise.all([cachedDataDirs(key), postgres]);
  return { ...dirs, postgres: postgresName };
}

async function cachedDataDirs(key: string): Promise<Omit<Templates, "postgres">> {
  const dir = join(CACHE, key);
  const templates = { demo: join(dir, "demo"), empty: join(dir, "empty"), main: join(dir, "compiled/src/main.js") };
  if (existsSync(dir)) {
    // Marks them as in use, for the clean-up below in other runs.
    utimesSync(dir, new Date(), new Date());
    return templates;
  }
  mkdirSync(CACHE, { recursive: true });
  // Templates made from other sources are of no more use once no run has used them for an hour.
  for (const other of readdirSync(CACHE)) {
    const path = join(CACHE, other);
    if (statSync(path).mtimeMs < Date.now() - HOUR) rmSync(path, { recursive: true, force: true });
  }
  const building = mkdtempSync(join(CACHE, `${key}.building-`));
  try {
    const [{ compileSource }, { writeDatabaseTemplate }] = await Promise.all([
      import("./compiled-source.js"),
      import("../../src/db/index.js"),
    ]);
    compileSource(ROOT, join(building, "compiled"));
    // The embedded database a first start copies (initdb and every migration, seconds of CPU), where the compiled
    // server looks for it as `node dist/main.js` finds dist/pgdata-template: a spawned server's first start is the
    // built server's, and both data directories below are made from it rather than by initdb each.
    const databaseTemplate = join(building, "compiled/src/pgdata-template");
    await writeDatabaseTemplate(databaseTemplate);
    await Promise.all([
      buildTemplate(join(building, "demo"), true, databaseTemplate),
      buildTemplate(join(building, "empty"), false, databaseTemplate),
    ]);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  try {
    renameSync(building, dir);
  } catch (err) {
    // Another run built the same templates first: use those.
    if (!existsSync(dir)) throw err;
    rmSync(building, { recursive: true, force: true });
  }
  return templates;
}

/**
 * The migrated template database for these sources on the TEST_DATABASE_URL server, made unless it is there. It
 * is built under a name of its own and renamed once its connections are closed, since PostgreSQL copies only a
 * database nobody is connected to; the server may be shared by runs of other sources, so each template's comment
 * says when a run last used it, and those no run has used for a day are dropped.
 */
async function postgresTemplate(serverUrl: string, key: string): Promise<string> {
  const name = `broadsheet_template_${key}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const existing = await admin.query<{ datname: string; used: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS used FROM pg_database
        WHERE datname LIKE 'broadsheet\\_template\\_%'`,
    );
    for (const row of existing.rows) {
      if (row.datname === name || Date.parse(row.used ?? "") > Date.now() - DAY) continue;
      // Another run may be copying it this moment: then it stays until a later run.
      await admin.query(`DROP DATABASE IF EXISTS ${row.datname}`).catch(() => undefined);
    }
    await dropLeftTestDatabases(admin, { madeBefore: Date.now() - HOUR });
    if (!existing.rows.some((row) => row.datname === name)) {
      const building = `${name}_building_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      await admin.query(`COMMENT ON DATABASE ${building} IS '${new Date().toISOString()}'`);
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-template-"));
      try {
        const { openDatabase } = await import("../../src/db/index.js");
        const { database } = await openDatabase({ dataDir, databaseUrl: url.toString(), databasePoolSize: 1 });
        await database.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      try {
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      } catch (err) {
        // Another run made the same template first: use that one.
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        if ((err as { code?: string }).code !== "42P04") throw err;
      }
    }
    await admin.query(`COMMENT ON DATABASE ${name} IS '${new Date().toISOString()}'`);
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * How test/support/db.ts names each test's database: `broadsheet_test_<creation time, base 36 ms>_<run>_<random>`.
 * Only names of that form are dropped here: a database named otherwise is not one of these, whoever made it.
 */
const TEST_DATABASE_NAME = /^broadsheet_test_([0-9a-z]+)_([0-9a-f]{8})_[0-9a-f]{12}$/;

/**
 * Tests drop their databases in the background (test/support/db.ts), and a worker's exit may cut a drop short:
 * `run`'s are dropped as it ends; any other made over an hour ago belongs to no run still going (the server may be
 * shared by other runs).
 */
async function dropLeftTestDatabases(admin: pg.Client, which: { run?: string; madeBefore?: number }): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'broadsheet\\_test\\_%'`,
  );
  const left = rows.filter(({ datname }) => {
    const [, time, run] = TEST_DATABASE_NAME.exec(datname) ?? [];
    if (!time || !run) return false;
    return run === which.run || Number.parseInt(time, 36) < (which.madeBefore ?? 0);
  });
  await Promise.all(
    left.map(({ datname }) => admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined)),
  );
}

// Each project loads its global setup files on its own, in the one Vitest process: the build in progress is kept
// on the process, not in this module.
const run = globalThis as { broadsheetTemplates?: Promise<Templates> };

export default async function setup(project: TestProject) {
  run.broadsheetTemplates ??= cachedTemplates();
  const templates = await run.broadsheetTemplates;
  project.provide("demoTemplateDir", templates.demo);
  project.provide("emptyTemplateDir", templates.empty);
  project.provide("postgresTemplate", templates.postgres);
  project.provide("compiledMain", templates.main);
  const testDatabaseRun = randomBytes(4).toString("hex");
  project.provide("testDatabaseRun", testDatabaseRun);
  const scratch = mkdtempSync(join(tmpdir(), "broadsheet-tests-"));
  project.provide("testScratchDir", scratch);
  const serverUrl = process.env.TEST_DATABASE_URL;
  return async () => {
    // Copies a test deleted in the background and a worker's exit cut short, with those never deleted.
    rmSync(scratch, { recursive: true, force: true });
    if (!serverUrl) return;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await dropLeftTestDatabases(admin, { run: testDatabaseRun });
    } finally {
      await admin.end();
    }
  };
}
