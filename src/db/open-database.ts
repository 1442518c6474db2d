import { existsSync } from "node:fs";
import type { Config } from "../config.js";
import { Unavailable } from "../shared/errors.js";
import { type Database, type EmbeddedOptions, embeddedDatabaseError, openPglite, openPostgres } from "./client.js";
import { type DataDirLock, lockDataDir, markPgdataReady, preparePgdata } from "./data-dir.js";
import { migrate } from "./migrate.js";
import { BUILT_TEMPLATE_DIR, copyDatabaseTemplate } from "./template.js";
import { keepTablesTidy } from "./tidy.js";
import { isDatabaseUnreachable, unreachableReason } from "./unreachable.js";

export type OpenedDatabase = { database: Database; notes: string[] };

export type OpenOptions = EmbeddedOptions & {
  /** Where a first start copies the embedded database from (template.ts); the build's by default. */
  templateDir?: string;
};

/**
 * Opens the configured database and brings its schema up to date; the embedded one under a data-dir lock.
 * `onFatal` hears of an embedded database whose thread died (its calls all reject from then on).
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "databasePoolSize" | "dataDir"> & Partial<Pick<Config, "databaseCacheMb">>,
  options: OpenOptions = {},
): Promise<OpenedDatabase> {
  const notes: string[] = [];
  if (config.databaseUrl) {
    const database = await openPostgres(config.databaseUrl, config.databasePoolSize);
    try {
      const { applied } = await migrate(database);
      if (applied.length) notes.push(`applied migrations ${applied.join(", ")}`);
    } catch (err) {
      await database.close();
      if (!isDatabaseUnreachable(err)) throw err;
      throw new Unavailable(
        "DATABASE_UNREACHABLE",
        `cannot reach the database at ${withoutPassword(config.databaseUrl)}: ${unreachableReason(err)}`,
        { cause: err, help: "Check that PostgreSQL is running and that DATABASE_URL names it." },
      );
    }
    return { database, notes };
  }
  const lock: DataDirLock = lockDataDir(config.dataDir);
  try {
    const { path, setAside } = preparePgdata(config.dataDir);
    if (setAside) notes.push(`an interrupted first start left ${setAside}; created the database afresh`);
    if (!existsSync(path)) await copyDatabaseTemplate(options.templateDir ?? BUILT_TEMPLATE_DIR, path);
    const embedded = { onFatal: options.onFatal, cacheMb: config.databaseCacheMb };
    const database = await openPglite(path, embedded).catch((thrown: unknown) => {
      throw embeddedDatabaseError(thrown, path);
    });
    markPgdataReady(config.dataDir);
    const { applied } = await migrate(database).catch(async (thrown: unknown) => {
      await database.close().catch(() => undefined);
      throw embeddedDatabaseError(thrown, path);
    });
    if (applied.length) notes.push(`applied migrations ${applied.join(", ")}`);
    const close = database.close;
    const stopTidying = keepTablesTidy(database);
    return {
      database: {
        ...database,
        async close() {
          stopTidying();
          try {
            await close();
          } finally {
            lock.release();
          }
        },
      },
      notes,
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** The address as it may be printed: the password left out. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    return parsed.toString();
  } catch {
    return "DATABASE_URL";
  }
}
