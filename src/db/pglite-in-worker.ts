/**
 * The main thread's side of the embedded database: starts pglite-worker.ts in a worker thread and talks to it.
 * `client` is the part of PGlite's interface that drizzle-orm/pglite calls (query, exec, transaction).
 */
import { Worker } from "node:worker_threads";
import type { QueryOptions } from "@electric-sql/pglite";
import { fromCodeRoot } from "../shared/code-root.js";
import { Unavailable } from "../shared/errors.js";
import { compiledPgliteModule, keepPgliteModule } from "./pglite-artifacts.js";
import type { RowMode, WorkerError, WorkerReply, WorkerRequest, WorkerResult, WorkerStart } from "./pglite-messages.js";

type Runner = {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<WorkerResult>;
  exec(sql: string): Promise<WorkerResult[]>;
};
export type PgliteClient = Runner & { transaction<T>(work: (tx: Runner) => Promise<T>): Promise<T> };

export type PgliteWorker = {
  client: PgliteClient;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Ends the thread at once, as a crash would (tests). */
  terminate(): Promise<void>;
};

export type PgliteWorkerOptions = {
  /** Called once if the thread dies while the database is open; every call then rejects. */
  onFatal?: (err: Error) => void;
  /** PostgreSQL's shared_buffers, in MiB (DATABASE_CACHE_MB). */
  cacheMb?: number;
};

/** DATABASE_CACHE_MB's default (config.ts), for callers that open a database without a Config. */
export const DEFAULT_CACHE_MB = 16;

type Ask = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, "id"> : never) : never;
type Pending = { resolve(value: unknown): void; reject(err: Error): void };

const CLOSE_TIMEOUT_MS = 10_000;

export async function startPgliteWorker(
  dataDir: string | undefined,
  options: PgliteWorkerOptions = {},
): Promise<PgliteWorker> {
  // Started before anything is awaited: the caller (a server starting) loads the app while the thread opens.
  const pgliteWasmModule = compiledPgliteModule();
  const worker = spawnWorker({ dataDir, cacheMb: options.cacheMb ?? DEFAULT_CACHE_MB, pgliteWasmModule });
  const thread: Thread = { worker, protocol: messageProtocol(worker), state: "opening" };
  watchForDeath(thread, options.onFatal);
  let closing: Promise<void> | undefined;
  try {
    await thread.protocol.opened;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  thread.state = "open";
  if (thread.protocol.isIdle()) worker.unref();

  return {
    client: pgliteClient(thread.protocol),
    listen: (channel, onMessage) => thread.protocol.listen(channel, onMessage),
    close() {
      closing ??= closeThread(thread);
      return closing;
    },
    async terminate() {
      await worker.terminate();
    },
  };
}

type Lifecycle = "opening" | "open" | "closing" | "closed" | "failed";

/** The database's thread, what is said to it, and how far along its life it is. */
type Thread = { worker: Worker; protocol: MessageProtocol; state: Lifecycle };

type MessageProtocol = ReturnType<typeof messageProtocol>;

/**
 * Numbered calls, each answered by one reply; notifications for LISTEN. Call 0 is the thread's own: its answer
 * says the database opened. The thread is held referenced only while a call waits.
 */
function messageProtocol(worker: Worker) {
  const pending = new Map<number, Pending>();
  const listeners = new Map<number, (payload: string) => void>();
  let nextId = 1;
  let nextListenerId = 1;
  const opened = new Promise((resolve, reject) => pending.set(0, { resolve, reject }));

  worker.on("message", (reply: WorkerReply) => {
    if (reply.kind === "notification") {
      listeners.get(reply.listenerId)?.(reply.payload);
      return;
    }
    if (reply.kind === "compiled") {
      keepPgliteModule(reply.pgliteWasmModule);
      return;
    }
    const call = pending.get(reply.id);
    if (!call) return;
    pending.delete(reply.id);
    // An idle database keeps the process alive no more than PGlite in-process did; a waiting call does.
    if (pending.size === 0) worker.unref();
    if (reply.kind === "result") call.resolve(reply.value);
    else call.reject(toError(reply.error));
  });

  const protocol = {
    opened,
    /** Set once the database can take no more calls: the error they get. */
    stopped: undefined as Error | undefined,
    isIdle: () => pending.size === 0,
    rejectWaiting(err: Error) {
      for (const call of pending.values()) call.reject(err);
      pending.clear();
    },
    call<T>(request: Ask): Promise<T> {
      if (protocol.stopped) return Promise.reject(protocol.stopped);
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          worker.postMessage({ ...request, id });
        } catch (err) {
          // A parameter that cannot be copied (a function, a class with private state).
          pending.delete(id);
          if (pending.size === 0) worker.unref();
          reject(err as Error);
        }
      });
    },
    async listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
      const listenerId = nextListenerId++;
      // Registered before asking, so no notification can arrive ahead of its listener.
      listeners.set(listenerId, onMessage);
      try {
        await protocol.call({ kind: "listen", listenerId, channel });
      } catch (err) {
        listeners.delete(listenerId);
        throw err;
      }
      return async () => {
        listeners.delete(listenerId);
        if (!protocol.stopped) await protocol.call({ kind: "unlisten", listenerId });
      };
    },
  };
  return protocol;
}

/** A thread that dies, opening or open, fails every call from then on; one that was open is reported once. */
function watchForDeath(thread: Thread, onFatal: PgliteWorkerOptions["onFatal"]): void {
  const { worker, protocol } = thread;
  function fail(reason: Error) {
    if (thread.state === "failed" || thread.state === "closed") return;
    const wasOpen = thread.state === "open";
    thread.state = "failed";
    const stopped = new Unavailable("DATABASE_STOPPED", `the embedded database stopped: ${reason.message}`, {
      cause: reason,
    });
    protocol.stopped = stopped;
    protocol.rejectWaiting(stopped);
    if (wasOpen) onFatal?.(stopped);
  }
  worker.on("error", fail);
  worker.on("messageerror", fail);
  worker.on("exit", (code) => {
    if (thread.state === "closing") {
      thread.state = "closed";
      protocol.rejectWaiting(
        new Unavailable("DATABASE_STOPPED", `the embedded database stopped while closing (exit code ${code})`),
      );
      return;
    }
    fail(new Error(`its thread exited with code ${code}`));
  });
}

/** The client drizzle calls: queries and exec, outside or inside a transaction the thread holds open. */
function pgliteClient(protocol: MessageProtocol): PgliteClient {
  const runnerIn = (txId: number | undefined): Runner => ({
    async query(sql, params = [], queryOptions) {
      const { rowMode, rawOids } = sendableOptions(queryOptions);
      return protocol.call<WorkerResult>({ kind: "query", txId, sql, params, rowMode, rawOids });
    },
    exec: (sql) => protocol.call<WorkerResult[]>({ kind: "exec", txId, sql }),
  });
  return {
    ...runnerIn(undefined),
    async transaction(work) {
      // The worker keeps PGlite's transaction open until commit or rollback: other calls wait, as in-process.
      const txId = await protocol.call<number>({ kind: "begin" });
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(runnerIn(txId));
      } catch (err) {
        await protocol.call({ kind: "rollback", txId }).catch(() => undefined);
        throw err;
      }
      await protocol.call({ kind: "commit", txId });
      return result;
    },
  };
}

/** Asks the thread to close PGlite and waits for it to end; later calls are refused as closed. */
async function closeThread(thread: Thread): Promise<void> {
  if (thread.state !== "open") return;
  const { worker, protocol } = thread;
  thread.state = "closing";
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  const answered = protocol.call({ kind: "close" });
  protocol.stopped = new Unavailable("DATABASE_CLOSED", "the embedded database is closed");
  try {
    await answered;
  } finally {
    // The thread ends by itself once PGlite has closed; one that does not is stopped. Held referenced until
    // then, or a process with nothing else to do would exit before close() resolves.
    worker.ref();
    const timer = setTimeout(() => worker.terminate(), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}

const WORKER_YOUNG_GENERATION_MB = 4;

/** Built, the worker is dist/db/pglite-worker.js; from source, a bootstrap loads pglite-worker.ts through tsx. */
function spawnWorker(workerData: WorkerStart): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = fromCodeRoot(fromSource ? "db/pglite-worker-source.mjs" : "db/pglite-worker.js");
  // A small young generation: the thread's JavaScript is a thin loop around PGlite's WASM heap, and V8's default
  // semi-spaces would only hold garbage between scavenges (resident memory, not speed).
  return new Worker(entry, { workerData, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
}

const PROBE = "\u0000probe";

/**
 * Functions cannot cross to the worker. drizzle-orm/pglite passes parsers for some types (timestamps, dates,
 * intervals, their arrays), all of which keep PostgreSQL's text as it is: the worker gets their type OIDs and
 * does the same. Anything else is refused rather than silently ignored.
 */
function sendableOptions(options: QueryOptions | undefined): { rowMode: RowMode | undefined; rawOids: number[] } {
  const { rowMode, parsers, ...rest } = options ?? {};
  const unsupported = Object.keys(rest);
  if (unsupported.length) throw new Error(`query options the embedded database's thread cannot take: ${unsupported}`);
  const rawOids = Object.entries(parsers ?? {}).map(([oid, parse]) => {
    if (parse(PROBE, Number(oid)) !== PROBE) {
      throw new Error(`the parser for type ${oid} changes values; only text-keeping parsers reach the worker`);
    }
    return Number(oid);
  });
  return { rowMode, rawOids };
}

/** PostgreSQL's error again, with its fields (code 23505, constraint, detail…) as own properties. */
function toError(sent: WorkerError): Error {
  const err = new Error(sent.message);
  Object.assign(err, sent.fields);
  err.name = sent.name;
  return err;
}
