/**
 * The embedded database's thread: the one owner of the PGlite instance. PGlite's query loop never yields to the
 * event loop while it works, so on the main thread a few searches starved every cached page; here it starves
 * only itself. Requests come from pglite-in-worker.ts; PGlite's own locks serialise them as they did in-process.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import { type ParserOptions, PGlite, type Results, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import type { WorkerError, WorkerReply, WorkerRequest, WorkerResult, WorkerStart } from "./pglite-messages.js";

if (!parentPort) throw new Error("pglite-worker.ts runs as a worker thread (see pglite-in-worker.ts)");
const port = parentPort;
const { dataDir, cacheMb, pgliteWasmModule: given } = workerData as WorkerStart;

const send = (reply: WorkerReply) => port.postMessage(reply);

function toWorkerError(err: unknown): WorkerError {
  if (!(err instanceof Error)) {
    // Emscripten's ErrnoError is a plain object; its errno says what the file system refused (client.ts reads it).
    const { name, errno } = (err ?? {}) as { name?: unknown; errno?: unknown };
    if (typeof errno === "number") {
      return { message: `${String(name)} ${errno}`, name: String(name ?? "Error"), fields: { errno } };
    }
    let shown: string;
    try {
      shown = JSON.stringify(err)?.slice(0, 300) ?? String(err);
    } catch {
      shown = String(err);
    }
    return { message: shown, name: "Error", fields: {} };
  }
  const fields: WorkerError["fields"] = {};
  // DatabaseError's code, detail, constraint, table, column, severity, position…: primitives only (its
  // queryOptions holds functions, which cannot be copied).
  for (const [key, value] of Object.entries(err)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") fields[key] = value;
  }
  return { message: err.message, name: err.name, fields };
}

function toWorkerResult(result: Results): WorkerResult {
  return {
    rows: result.rows,
    fields: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    ...(result.affectedRows === undefined ? {} : { affectedRows: result.affectedRows }),
  };
}

// drizzle asks for some types (timestamps, dates, intervals, their arrays) to come back as text; the parsers it
// passes are identity functions, which the main thread checked before sending their type OIDs.
const keepText = (value: string) => value;
const parsersByOids = new Map<string, ParserOptions>();
function rawParsers(oids: number[]): ParserOptions | undefined {
  if (oids.length === 0) return undefined;
  const key = oids.join(",");
  let parsers = parsersByOids.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(oids.map((oid) => [oid, keepText]));
    parsersByOids.set(key, parsers);
  }
  return parsers;
}

type OpenTransaction = { tx: Transaction; end(how: "commit" | "rollback"): Promise<void> };
const transactions = new Map<number, OpenTransaction>();
const unlisteners = new Map<number, () => Promise<void>>();
let nextTxId = 1;

/** Opens a transaction and keeps it open until the main thread says commit or rollback. */
function begin(): Promise<number> {
  return new Promise((opened, failedToOpen) => {
    const txId = nextTxId++;
    let decide!: (how: "commit" | "rollback") => void;
    const decided = new Promise<"commit" | "rollback">((resolve) => {
      decide = resolve;
    });
    let started = false;
    const finished = db
      .transaction(async (tx) => {
        started = true;
        transactions.set(txId, { tx, end });
        opened(txId);
        if ((await decided) === "rollback") await tx.rollback();
      })
      .finally(() => transactions.delete(txId));
    finished.catch((err) => {
      if (!started) failedToOpen(err);
    });
    function end(how: "commit" | "rollback") {
      decide(how);
      return finished;
    }
  });
}

function target(txId: number | undefined): PGlite | Transaction {
  if (txId === undefined) return db;
  const open = transactions.get(txId);
  if (!open) throw new Error(`Transaction ${txId} is closed`);
  return open.tx;
}

async function answer(request: WorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case "query": {
      const parsers = rawParsers(request.rawOids);
      const options = { ...(request.rowMode ? { rowMode: request.rowMode } : {}), ...(parsers ? { parsers } : {}) };
      return toWorkerResult(await target(request.txId).query(request.sql, request.params, options));
    }
    case "exec":
      return (await target(request.txId).exec(request.sql)).map(toWorkerResult);
    case "begin":
      return begin();
    case "commit":
    case "rollback": {
      const open = transactions.get(request.txId);
      if (!open) throw new Error(`Transaction ${request.txId} is closed`);
      await open.end(request.kind);
      return undefined;
    }
    case "listen": {
      const { listenerId } = request;
      const unlisten = await db.listen(request.channel, (payload) =>
        send({ kind: "notification", listenerId, payload }),
      );
      unlisteners.set(listenerId, unlisten);
      return undefined;
    }
    case "unlisten": {
      const unlisten = unlisteners.get(request.listenerId);
      unlisteners.delete(request.listenerId);
      await unlisten?.();
      return undefined;
    }
    case "close":
      await db.close();
      // Nothing more will come: let the thread end once this answer is sent.
      setImmediate(() => port.close());
      return undefined;
  }
}

/** The first database thread of a process compiles PGlite's WebAssembly and hands it back for the later ones. */
async function compilePgliteWasm(): Promise<WebAssembly.Module> {
  const file = createRequire(import.meta.url).resolve("@electric-sql/pglite/pglite.wasm");
  const module = await WebAssembly.compile(await readFile(file));
  send({ kind: "compiled", pgliteWasmModule: module });
  return module;
}

// PGlite zero-fills PostgreSQL's shared memory when it starts, so all of shared_buffers is resident from the first
// second: PostgreSQL's default of 128 MB was most of an idle server's memory, for a paper whose whole database is
// tens of MB. Pages beyond DATABASE_CACHE_MB come from the operating system's file cache.
const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${cacheMb}MB`];
// Durability stays on: relaxedDurability would acknowledge commits before they reach the disk. Search folds
// accents with unaccent and suggests spellings with pg_trgm: contrib extensions PGlite loads only when named here
// (the migrations then CREATE EXTENSION them, as on a PostgreSQL server).
const extensions = { unaccent, pg_trgm };
const pgliteWasmModule = given ?? (await compilePgliteWasm());
const options = { relaxedDurability: false, startParams, extensions, pgliteWasmModule };
const db = await PGlite.create(dataDir, options).catch((err: unknown) => {
  send({ kind: "error", id: 0, error: toWorkerError(err) });
  throw err;
});
send({ kind: "result", id: 0, value: undefined });

port.on("message", (request: WorkerRequest) => {
  answer(request).then(
    (value) => send({ kind: "result", id: request.id, value }),
    (err: unknown) => send({ kind: "error", id: request.id, error: toWorkerError(err) }),
  );
});
