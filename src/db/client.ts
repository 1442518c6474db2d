/** Opens the database: PGlite in DATA_DIR (in a worker thread) by default, node-postgres when DATABASE_URL is set. */
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type pg from "pg";
import { type PgliteWorker, type PgliteWorkerOptions, startPgliteWorker } from "./pglite-in-worker.js";

// No schema object: queries name each module's tables themselves, so the database layer imports none of them.
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or a transaction on it: queries accept both. */
export type Queryable = Db | Tx;

export type Database = {
  kind: "pglite" | "postgres";
  db: Db;
  /** Runs SQL text (several statements allowed) with no parameters. */
  exec(sqlText: string): Promise<void>;
  /** Runs `work` on one connection while holding a session advisory lock. */
  withAdvisoryLock<T>(key: number, work: (exec: (sqlText: string) => Promise<unknown[]>) => Promise<T>): Promise<T>;
  /** Calls `onMessage` for every NOTIFY on `channel`, from any process on the same database. */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
};

// PGlite's file system errors are Emscripten's ErrnoError objects, not Errors: `{ name, errno }`, WASI numbering.
const EMSCRIPTEN_ERRNOS: Record<number, string> = {
  2: "EACCES",
  10: "EBUSY",
  20: "EEXIST",
  29: "EIO",
  31: "EISDIR",
  33: "EMFILE",
  44: "ENOENT",
  51: "ENOSPC",
  54: "ENOTDIR",
  63: "EPERM",
  69: "EROFS",
};

/**
 * What PGlite threw, as an Error a person can read: an ErrnoError becomes a Node-style error with `code` and the
 * data directory as `path`; any other non-Error is described rather than printed as [object Object].
 */
export function embeddedDatabaseError(thrown: unknown, dataDir: string): Error {
  // From the database's thread it arrives as an Error named ErrnoError with its errno copied.
  const { name, errno } = (thrown ?? {}) as { name?: unknown; errno?: unknown };
  if (name === "ErrnoError" && typeof errno === "number") {
    const code = EMSCRIPTEN_ERRNOS[errno] ?? `errno ${errno}`;
    return Object.assign(new Error(`${code}: the embedded database could not use ${dataDir}`, { cause: thrown }), {
      code,
      path: dataDir,
    });
  }
  if (thrown instanceof Error) return thrown;
  let shown: string;
  try {
    shown = JSON.stringify(thrown)?.slice(0, 300) ?? String(thrown);
  } catch {
    shown = String(thrown);
  }
  return new Error(`the embedded database in ${dataDir} failed: ${shown}`, { cause: thrown });
}

export type EmbeddedOptions = PgliteWorkerOptions;

/**
 * The embedded database, run in a worker thread: PGlite's query loop never yields while it works, so in-process
 * it held up every request, cached pages included. `dataDir` undefined: in memory.
 */
export async function openPglite(dataDir: string | undefined, options: EmbeddedOptions = {}): Promise<Database> {
  // drizzle's PGlite driver loads while the database's thread starts, not whenever db/ is imported.
  const [worker, driver] = await Promise.all([startPgliteWorker(dataDir, options), loadPgliteDriver()]);
  return embeddedDatabase(worker, driver);
}

type PgliteDriver = typeof import("drizzle-orm/pglite");

export function loadPgliteDriver(): Promise<PgliteDriver> {
  return import("drizzle-orm/pglite");
}

export function embeddedDatabase(worker: PgliteWorker, driver: PgliteDriver): Database {
  const { client } = worker;
  // drizzle-orm/pglite calls only query (with rowMode and parsers), exec and transaction on its client.
  const db = driver.drizzle(client as unknown as PGlite) as unknown as Db;
  return {
    kind: "pglite",
    db,
    async exec(sqlText) {
      await client.exec(sqlText);
    },
    async withAdvisoryLock(key, work) {
      // PGlite has a single connection, so the lock only guards against re-entry; the data-dir lock file
      // already keeps other processes out.
      await client.query("SELECT pg_advisory_lock($1)", [key]);
      try {
        return await work(async (text) => (await client.exec(text)).flatMap((r) => r.rows));
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [key]);
      }
    },
    listen: (channel, onMessage) => worker.listen(channel, onMessage),
    async notify(channel, payload) {
      await client.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    close: () => worker.close(),
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Loaded here: a server on the embedded database never needs the PostgreSQL driver.
  const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
  ]);
  // JIT compilation pays off for long analytic queries; for a page's short ones it only adds milliseconds.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: "-c jit=off" });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  const db = drizzlePg(pool) as unknown as Db;
  const listeners: pg.Client[] = [];
  return {
    kind: "postgres",
    db,
    async exec(sqlText) {
      await pool.query(sqlText);
    },
    async withAdvisoryLock(key, work) {
      const conn = await pool.connect();
      try {
        await conn.query("SELECT pg_advisory_lock($1)", [key]);
        try {
          return await work(async (text) => {
            const result = (await conn.query(text)) as pg.QueryResult | pg.QueryResult[];
            return Array.isArray(result) ? result.flatMap((r) => r.rows) : result.rows;
          });
        } finally {
          await conn.query("SELECT pg_advisory_unlock($1)", [key]);
        }
      } finally {
        conn.release();
      }
    },
    async listen(channel, onMessage) {
      const client = new pg.Client({ connectionString: url });
      client.on("error", () => undefined);
      await client.connect();
      client.on("notification", (msg) => {
        if (msg.channel === channel) onMessage(msg.payload ?? "");
      });
      await client.query(`LISTEN ${quoteIdent(channel)}`);
      listeners.push(client);
      return async () => {
        await client.end();
      };
    },
    async notify(channel, payload) {
      await pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      await Promise.allSettled(listeners.map((c) => c.end()));
      await pool.end();
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
