/**
 * Whether a query failed because the database cannot be reached (the server is down, restarting, out of
 * connections, the network dropped, the embedded database closed) rather than because of the query. Requests
 * that fail so answer 503 with Retry-After instead of 500: nothing is wrong with what was asked.
 */
import { Unavailable } from "../shared/errors.js";

/** How long a client is told to wait before asking again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Node's socket errors when connecting to, or talking with, a PostgreSQL server.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// SQLSTATEs: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);
// The embedded database's thread closed or died (pglite-in-worker.ts).
const EMBEDDED_CODES = new Set(["DATABASE_CLOSED", "DATABASE_STOPPED"]);
// pg and pg-pool's own errors for a lost or unobtainable connection, and PGlite's once it is closed.
const DRIVER_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect$|Client (has encountered a connection error|was closed) and is not queryable$|Cannot use a pool after calling end on the pool$|PGlite is clos(ed|ing)$)/;

function isUnreachableError(err: object): boolean {
  const { code, severity, message } = err as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || EMBEDDED_CODES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  // The server ends the session on a FATAL error (shut down, the database gone, authentication): the
  // connection is lost whatever the query was.
  if (severity === "FATAL" || severity === "PANIC") return true;
  return typeof message === "string" && DRIVER_MESSAGES.test(message);
}

/** The first error in `err`'s causes and aggregated errors that says the database is unreachable, worded if any is. */
function firstUnreachable(err: unknown): object | undefined {
  const seen = new Set<object>();
  const queue: unknown[] = [err];
  let wordless: object | undefined;
  while (queue.length > 0 && seen.size < 20) {
    const next = queue.shift();
    if (!next || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    if (isUnreachableError(next)) {
      // An AggregateError (every address refused) has a code but no message; its errors have both.
      if ((next as { message?: unknown }).message) return next;
      wordless ??= next;
    }
    queue.push((next as { cause?: unknown }).cause);
    const inner = (next as { errors?: unknown }).errors;
    if (Array.isArray(inner)) queue.push(...inner);
  }
  return wordless;
}

/** Whether `err`, its causes (Drizzle wraps the driver's error) or its aggregated errors say the database is unreachable. */
export function isDatabaseUnreachable(err: unknown): boolean {
  return firstUnreachable(err) !== undefined;
}

/** The driver's own words for why the database is unreachable, with the code: `connect ECONNREFUSED 127.0.0.1:5432`. */
export function unreachableReason(err: unknown): string {
  const found = (firstUnreachable(err) ?? err) as { message?: unknown; code?: unknown };
  const message = typeof found.message === "string" && found.message ? found.message : String(err);
  const code = typeof found.code === "string" ? found.code : undefined;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** The 503 a request answers when the database cannot be reached; undefined for any other error. */
export function databaseUnavailable(err: unknown): Unavailable | undefined {
  if (!isDatabaseUnreachable(err)) return undefined;
  return new Unavailable(
    "DATABASE_UNAVAILABLE",
    "The site cannot reach its database just now. Please try again in a few seconds.",
    { cause: err, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
}
