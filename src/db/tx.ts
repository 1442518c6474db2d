import { type SQL, sql } from "drizzle-orm";
import type { Db, Queryable, Tx } from "./client.js";

export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`. */
export async function queryRows<T = Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

// Broadsheet's fixed advisory lock keys are 72_410_0NN, one per use, all in one namespace per database.
const START_UP_LOCK_KEY = 72_410_002;

/**
 * `work` in one transaction that first takes a transaction-scoped advisory lock, so processes starting at once
 * on one database run their start-up writes (settings, demo, owner) one after the other: the second finds the
 * first's rows. It holds one connection only, so it works with any pool size and on PGlite.
 */
export async function withStartUpLock<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${START_UP_LOCK_KEY})`);
    return work(tx);
  });
}
