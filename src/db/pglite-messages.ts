/** What the main thread and the embedded database's worker say to each other (types only: nothing runs here). */

export type RowMode = "array" | "object";

/** One statement's answer, as PGlite gives it, without what cannot be copied to another thread. */
export type WorkerResult = {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
};

export type WorkerRequest =
  | {
      kind: "query";
      id: number;
      txId: number | undefined;
      sql: string;
      params: unknown[];
      rowMode: RowMode | undefined;
      /** Type OIDs whose values come back as PostgreSQL's text, unparsed (what drizzle's identity parsers ask). */
      rawOids: number[];
    }
  | { kind: "exec"; id: number; txId: number | undefined; sql: string }
  | { kind: "begin"; id: number }
  | { kind: "commit"; id: number; txId: number }
  | { kind: "rollback"; id: number; txId: number }
  | { kind: "listen"; id: number; listenerId: number; channel: string }
  | { kind: "unlisten"; id: number; listenerId: number }
  | { kind: "close"; id: number };

/** A PostgreSQL error's fields (code, detail, constraint…): a thrown error's own properties are lost in copying. */
export type WorkerError = { message: string; name: string; fields: Record<string, string | number | boolean> };

/**
 * Id 0 answers the opening of the database, before any request. A thread that compiled PGlite's WebAssembly
 * itself sends it first ("compiled"), for the threads started after it.
 */
export type WorkerReply =
  | { kind: "compiled"; pgliteWasmModule: WebAssembly.Module }
  | { kind: "result"; id: number; value: unknown }
  | { kind: "error"; id: number; error: WorkerError }
  | { kind: "notification"; listenerId: number; payload: string };

/**
 * What the thread is started with: the data directory (undefined: in memory), shared_buffers in MiB, and PGlite's
 * WebAssembly if an earlier thread of the process compiled it (pglite-artifacts.ts); without it, the thread
 * compiles it.
 */
export type WorkerStart = {
  dataDir: string | undefined;
  cacheMb: number;
  pgliteWasmModule: WebAssembly.Module | undefined;
};
