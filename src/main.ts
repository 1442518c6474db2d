/**
 * The command line: `start` (default) serves the site; `migrate` brings the schema up to date; `env` prints the
 * settings table; `content-api-key:create|list|revoke` manage the keys of the Ghost-compatible Content API;
 * `billing:reconcile` re-reads every subscription from Stripe; `billing:comp` gives a reader complimentary access;
 * `staff:two-factor-off` turns a staff member's two-factor sign-in off when their device is lost.
 */
import { realpathSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import {
  type Config,
  ConfigError,
  type Env,
  loadConfig,
  loadConfigFromProcess,
  renderEnvTable,
  resolveSessionSecret,
} from "./config.js";
import { openDatabase, withTransaction } from "./db/index.js";
import type { OwnerStatus } from "./newsroom/index.js";
import { AppError, Invalid, NotFound } from "./shared/errors.js";

// The app and the modules the commands use are imported where needed: `start` opens the database (its thread
// starts PGlite, a first start copies the database template) while they load, instead of after.

const USAGE = [
  "usage: broadsheet [start | migrate | env]",
  "       broadsheet content-api-key:create NAME | content-api-key:list | content-api-key:revoke ID",
  "       broadsheet billing:reconcile | billing:comp EMAIL [YYYY-MM-DD] | billing:comp-end EMAIL",
  "       broadsheet staff:two-factor-off EMAIL",
  "       broadsheet cdn:vcl --backend HOST:PORT",
].join("\n");

/** Where a command writes: the process's own streams, or a test's buffers. */
export type CommandOutput = { stdout: { write(text: string): unknown }; stderr: { write(text: string): unknown } };

/** The embedded database's thread died: nothing can be read or saved any more, so say so once and stop. */
function exitOnDatabaseLoss(err: Error): never {
  process.stderr.write(`broadsheet: ${err.message}\n`);
  process.exit(1);
}

async function start(config: Config, out: CommandOutput): Promise<void> {
  // V8 may decide, from a burst of objects surviving (seeding, a pause under load), to allocate a request's
  // objects straight into the old generation; dead there, they keep each later request's young objects alive
  // until a full collection, and scavenges grow from about 1 ms to 10–45 ms for as long as the load lasts.
  setFlagsFromString("--no-allocation-site-pretenuring");
  // What buildApp does first, so a DATA_DIR that cannot be written is still reported at the session secret.
  resolveSessionSecret(config);
  const opening = openDatabase(config, { onFatal: exitOnDatabaseLoss });
  // buildApp awaits it; this only keeps a failure arriving while the app loads from counting as unhandled.
  opening.catch(() => undefined);
  const { buildApp } = await import("./app.js");
  const built = await buildApp(config, { onDatabaseFatal: exitOnDatabaseLoss, opening });
  const { app } = built;
  for (const note of built.notes) app.log.info(note);
  let address: string;
  try {
    address = await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // The port is taken (or not ours to use): let go of the database and the data-dir lock before saying so.
    await app.close().catch(() => undefined);
    throw err;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down: finishing requests in flight");
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  app.log.info({ address, publicUrl: config.publicUrl }, "Broadsheet is serving");
  out.stdout.write(startedLines(config, built.owner, performance.now()));
}

/**
 * What a person starting the server reads last, plainly beside the log: how the owner gets in (or that the owner
 * was just created), how long the start took, and where to go.
 */
export function startedLines(config: Pick<Config, "publicUrl">, owner: OwnerStatus, uptimeMs: number): string {
  const lines = [""];
  if (owner.kind === "setup-link")
    lines.push("No owner account yet. Open this one-time link to create it:", `  ${owner.url}`, "");
  if (owner.kind === "created") {
    lines.push(`Created the owner account ${owner.email} from BROADSHEET_OWNER_EMAIL and BROADSHEET_OWNER_PASSWORD.`);
  }
  lines.push(`Started in ${(uptimeMs / 1000).toFixed(1)} s. The newsroom: ${config.publicUrl}/admin`);
  lines.push(`Open ${config.publicUrl}`, "");
  return lines.join("\n");
}

/** Prints the Varnish configuration for an origin at --backend HOST:PORT. */
async function printVcl(args: string[], out: CommandOutput): Promise<number> {
  const { parseBackend, renderVcl } = await import("./cdn/index.js");
  const at = args.indexOf("--backend");
  out.stdout.write(renderVcl(parseBackend(at < 0 ? undefined : args[at + 1])));
  return 0;
}

async function migrateOnly(config: Config, out: CommandOutput): Promise<void> {
  const { database, notes } = await openDatabase(config, { onFatal: exitOnDatabaseLoss });
  for (const note of notes) out.stdout.write(`${note}\n`);
  await database.close();
  out.stdout.write("the database schema is up to date\n");
}

async function contentApiKeys(config: Config, args: string[], out: CommandOutput): Promise<void> {
  const { database } = await openDatabase(config, { onFatal: exitOnDatabaseLoss });
  try {
    const [{ runContentApiKeyCommand }, { announceInvalidation }] = await Promise.all([
      import("./ghost-api/index.js"),
      import("./cache/index.js"),
    ]);
    const { cdn } = config;
    const purgeAtEdge = cdn && (await import("./cdn/index.js")).enqueuePurge;
    const { output, invalidates } = await withTransaction(database.db, async (tx) => {
      const done = await runContentApiKeyCommand(tx, args);
      // The edge keeps API answers at addresses that hold the key: a revoked key's answers are purged there too,
      // by jobs written with the change.
      if (cdn && purgeAtEdge) await purgeAtEdge(tx, done.invalidates, { repurgeSeconds: cdn.repurgeSeconds });
      return done;
    });
    // Servers on the same database check keys from memory: tell them the keys changed, so a revoked key is
    // refused at once (with the embedded database no server can be running while this holds the data directory).
    await announceInvalidation(database, invalidates);
    out.stdout.write(output);
  } finally {
    await database.close();
  }
}

/** For the operator, not the API: whoever runs it already holds the database. */
async function twoFactorOff(config: Config, email: string | undefined, out: CommandOutput): Promise<number> {
  if (!email) {
    out.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { database } = await openDatabase(config, { onFatal: exitOnDatabaseLoss });
  try {
    const [content, { removeTwoFactor }] = await Promise.all([
      import("./content/index.js"),
      import("./newsroom/index.js"),
    ]);
    const staff = await content.findStaffByEmail(database.db, email.toLowerCase());
    if (!staff) throw new NotFound("STAFF_NOT_FOUND", `No staff account has the address ${email}`);
    const removed = await removeTwoFactor(database.db, staff.id);
    out.stdout.write(
      removed ? `two-factor sign-in is off for ${staff.email}\n` : `${staff.email} had no two-factor sign-in\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

/** Billing commands run against the whole app (Stripe client, mailer, the invalidation channel), not serving. */
async function billingCommand(config: Config, args: string[], out: CommandOutput): Promise<number> {
  const [command, email, until] = args;
  const [{ buildApp }, billing, members] = await Promise.all([
    import("./app.js"),
    import("./billing/index.js"),
    import("./members/index.js"),
  ]);
  const built = await buildApp({ ...config, logLevel: "warn" }, { onDatabaseFatal: exitOnDatabaseLoss });
  try {
    if (command === "billing:reconcile") {
      const { seen, applied } = await billing.reconcile(built.billing);
      out.stdout.write(`read ${seen} subscriptions from Stripe; applied ${applied} to members\n`);
      return 0;
    }
    if ((command === "billing:comp" || command === "billing:comp-end") && email) {
      const member = await members.findMemberByEmail(built.database.db, email.toLowerCase());
      if (!member) throw new NotFound("MEMBER_NOT_FOUND", `No reader has the address ${email}`);
      if (command === "billing:comp-end") {
        await billing.endComplimentary(built.billing, member.id);
        out.stdout.write(`ended complimentary access for ${member.email}\n`);
        return 0;
      }
      if (until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(until)) {
        throw new Invalid("DATE_INVALID", "The end date is written YYYY-MM-DD");
      }
      await billing.grantComplimentary(built.billing, {
        memberId: member.id,
        until: until ? new Date(`${until}T23:59:59Z`) : null,
        note: "granted from the command line",
      });
      out.stdout.write(`gave ${member.email} complimentary access${until ? ` until ${until}` : ""}\n`);
      return 0;
    }
    out.stderr.write(`${USAGE}\n`);
    return 2;
  } finally {
    await built.app.close();
  }
}

// What a file system error means, and what the operator can do about it.
const FILE_SYSTEM_CAUSES: Record<string, [cause: string, remedy: string]> = {
  ENOSPC: ["the disk is full", "free some space, or set DATA_DIR to a disk with room"],
  EDQUOT: ["the disk quota is used up", "free some space, or raise the quota"],
  EROFS: ["the file system is read-only", "set DATA_DIR to a writable directory"],
  EACCES: ["permission denied", "let the user running Broadsheet write there, or set DATA_DIR elsewhere"],
  EPERM: ["operation not permitted", "let the user running Broadsheet write there, or set DATA_DIR elsewhere"],
  ENOTDIR: ["part of the path is a file, not a directory", "set DATA_DIR to a directory"],
  EISDIR: ["a directory is where a file should be", "move it away, or set DATA_DIR elsewhere"],
  ENOENT: ["no such file or directory", "check DATA_DIR"],
  EIO: ["the disk reported an input/output error", "check the disk"],
  EMFILE: ["too many open files", "raise the open-file limit (ulimit -n)"],
  ENFILE: ["too many open files on the system", "raise the system's open-file limit"],
};
// What stops the server listening on HOST:PORT.
const LISTEN_CAUSES: Record<string, [cause: string, remedy: string]> = {
  EADDRINUSE: ["is already in use", "stop the other server, or set PORT to a free port"],
  EACCES: ["needs privileges to listen on", "set PORT to 1024 or above"],
  EADDRNOTAVAIL: ["is not an address of this machine", "set HOST to one of its addresses, or 0.0.0.0"],
};

/** Anything thrown, said in one line: an Error's message, a string, or an object's name and fields. */
function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message || thrown.name;
  if (typeof thrown !== "object" || thrown === null) return String(thrown);
  const name = (thrown as { name?: unknown }).name ?? thrown.constructor?.name ?? "object";
  try {
    return `${String(name)} ${JSON.stringify(thrown)?.slice(0, 300)}`;
  } catch {
    return String(name);
  }
}

/**
 * The one line printed when the server cannot start (or a command fails): the cause, the path or address it
 * concerns, and what to do. Never `[object Object]`, never a stack.
 */
export function describeStartupError(err: unknown): string {
  const oneLine = (text: string) => `broadsheet: ${text.replace(/\s*\n\s*/g, " ")}`;
  // Ours are written for this line already: the variable, the path, what to do.
  if (err instanceof ConfigError || err instanceof AppError) return oneLine(err.message);
  const { code, path, syscall, address, port } = (err ?? {}) as NodeJS.ErrnoException & {
    address?: string;
    port?: number;
  };
  const listen = syscall === "listen" || code === "EADDRINUSE" ? LISTEN_CAUSES[code ?? ""] : undefined;
  if (listen) {
    const where = port === undefined ? (address ?? "the address") : `${address ?? "HOST"}:${port}`;
    return oneLine(`could not start: ${where} ${listen[0]} (${code}): ${listen[1]}`);
  }
  const file = FILE_SYSTEM_CAUSES[code ?? ""];
  if (file) {
    const at = path ? ` at ${path}` : "";
    return oneLine(`could not start: ${file[0]} (${code})${at}: ${file[1]}`);
  }
  const detail = code && !describeThrown(err).includes(code) ? ` (${code})` : "";
  return oneLine(`could not start: ${describeThrown(err)}${detail}${path ? ` at ${path}` : ""}`);
}

function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const withoutExtension = (file: string) => file.replace(/\.[cm]?[jt]sx?$/, "");
  let resolved = resolvePath(script);
  try {
    resolved = realpathSync(resolved);
  } catch {
    // `node dist/main` names the file without its extension.
  }
  return withoutExtension(fileURLToPath(moduleUrl)) === withoutExtension(resolved);
}

/**
 * Runs one command line (`start` when none is given) and returns its exit status: 0, or 2 for a command line it
 * does not know. A failure is thrown, for `describeStartupError`. `start` returns once the server is listening.
 */
export async function runCommand(args: string[], env?: Env, out: CommandOutput = process): Promise<number> {
  const command = args[0] ?? "start";
  if (command === "env") {
    out.stdout.write(`${renderEnvTable()}\n`);
    return 0;
  }
  // Needs no configuration: it describes a Varnish in front of any origin.
  if (command === "cdn:vcl") return printVcl(args, out);
  const config = env ? loadConfig(env) : loadConfigFromProcess();
  if (command === "start") return start(config, out).then(() => 0);
  if (command === "migrate") return migrateOnly(config, out).then(() => 0);
  if (command.startsWith("content-api-key:")) return contentApiKeys(config, args, out).then(() => 0);
  if (command.startsWith("billing:")) return billingCommand(config, args, out);
  if (command === "staff:two-factor-off") return twoFactorOff(config, args[1], out);
  out.stderr.write(`${USAGE}\n`);
  return 2;
}

/** The command line as the program runs it: a failure becomes its one line on stderr and exit status 1. */
export async function runCommandLine(args: string[], env?: Env, out: CommandOutput = process): Promise<number> {
  try {
    return await runCommand(args, env, out);
  } catch (err) {
    out.stderr.write(`${describeStartupError(err)}\n`);
    return 1;
  }
}

// Imported (by tests), this file only defines; run as the program, it runs the command line.
if (isEntryPoint(import.meta.url)) {
  // A success leaves the process to end when its work is done (a server keeps it running); a failure ends it now,
  // whatever it still holds open.
  runCommandLine(process.argv.slice(2)).then((status) => {
    if (status !== 0) process.exit(status);
  });
}
