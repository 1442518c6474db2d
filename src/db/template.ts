/**
 * The embedded database as every first start would create it — PostgreSQL's initdb, then every migration — made
 * once by the build (scripts/build.mjs) into dist/pgdata-template and copied into DATA_DIR/pgdata by a first
 * start, which then only applies migrations newer than the build (none, normally). From source there is no
 * template, and a first start creates the database as before.
 */

import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fromCodeRoot } from "../shared/code-root.js";
import { copyDirectory } from "../shared/copy-directory.js";
import { openPglite } from "./client.js";
import { migrate } from "./migrate.js";

/** dist/pgdata-template for the built server; src/pgdata-template, never made, from source. */
export const BUILT_TEMPLATE_DIR = fromCodeRoot("pgdata-template/");

/** Creates the template in `dir` (replacing any there): a new cluster with every migration applied. */
export async function writeDatabaseTemplate(dir: string): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  const database = await openPglite(dir);
  try {
    const { applied } = await migrate(database);
    return applied;
  } finally {
    // A clean shutdown: the copy starts without recovery.
    await database.close();
  }
}

/**
 * Copies the template into `pgdata`, which does not exist yet; false when there is no template. As for a
 * database initdb creates, the ready marker (data-dir.ts) is written only once the copy has opened.
 */
export async function copyDatabaseTemplate(templateDir: string, pgdata: string): Promise<boolean> {
  if (!existsSync(join(templateDir, "PG_VERSION"))) return false;
  await copyDirectory(templateDir, pgdata);
  return true;
}
