export type { Database, Db, Queryable, Tx } from "./client.js";
export { embeddedDatabaseError, openPglite, openPostgres } from "./client.js";
export type { DataDirLock } from "./data-dir.js";
export { lockDataDir, markPgdataReady, preparePgdata } from "./data-dir.js";
export { migrate, pendingMigrations } from "./migrate.js";
export { openDatabase } from "./open-database.js";
export { withoutQueryValues } from "./query-values.js";
export { queryRows, withStartUpLock, withTransaction } from "./tx.js";
export { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, isDatabaseUnreachable } from "./unreachable.js";
