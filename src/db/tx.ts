import type { SQL } from "drizzle-orm";
import type { Db, Queryable, Tx } from "./client.js";

export async function withTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}

/** Rows of a raw SQL query; both drivers answer with `{ rows }`. */
export async function queryRows<T = Record<string, unknown>>(db: Queryable, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
