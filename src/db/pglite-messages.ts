/** What the main thread and the embedded database's worker say to each other (types only: nothing runs here). */

import type { PgliteArtifacts } from "./pglite-artifacts.js";

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

/** Id 0 answers the opening of the database, before any request. */
export type WorkerReply =
  | { kind: "result"; id: number; value: unknown }
  | { kind: "error"; id: number; error: WorkerError }
  | { kind: "notification"; listenerId: number; payload: string };

/**
 * What the thread is started with: the data directory (undefined: in memory), shared_buffers in MiB, and PGlite's
 * WebAssembly compiled by the main thread (pglite-artifacts.ts).
 */
export type WorkerStart = { dataDir: string | undefined; cacheMb: number; artifacts: PgliteArtifacts };
