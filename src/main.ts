/**
 * The command line: `start` (default) serves the site; `migrate` brings the schema up to date; `env` prints the
 * settings table; `content-api-key:create|list|revoke` manage the keys of the Ghost-compatible Content API.
 */
import { buildApp } from "./app.js";
import { type Config, ConfigError, loadConfigFromProcess, renderEnvTable } from "./config.js";
import { openDatabase } from "./db/index.js";
import { runContentApiKeyCommand } from "./ghost-api/index.js";
import { AppError } from "./shared/errors.js";

const USAGE =
  "usage: broadsheet [start | migrate | env | content-api-key:create NAME | content-api-key:list | content-api-key:revoke ID]";

async function start(config: Config): Promise<void> {
  const built = await buildApp(config);
  const { app } = built;
  for (const note of built.notes) app.log.info(note);
  if (built.owner.kind === "setup-link") {
    // Printed plainly as well as logged: this is how a new owner finds the way in.
    process.stdout.write(`\nNo owner account yet. Open this one-time link to create it:\n  ${built.owner.url}\n\n`);
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
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info({ address, publicUrl: config.publicUrl }, "Broadsheet is serving");
}

async function migrateOnly(config: Config): Promise<void> {
  const { database, notes } = await openDatabase(config);
  for (const note of notes) process.stdout.write(`${note}\n`);
  await database.close();
  process.stdout.write("the database schema is up to date\n");
}

async function contentApiKeys(config: Config, args: string[]): Promise<void> {
  const { database } = await openDatabase(config);
  try {
    process.stdout.write(await runContentApiKeyCommand(database.db, args));
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? "start";
  if (command === "env") {
    process.stdout.write(`${renderEnvTable()}\n`);
    return;
  }
  const config = loadConfigFromProcess();
  if (command === "start") return start(config);
  if (command === "migrate") return migrateOnly(config);
  if (command.startsWith("content-api-key:")) return contentApiKeys(config, process.argv.slice(2));
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof AppError) {
    process.stderr.write(`broadsheet: ${err.message}\n`);
  } else {
    process.stderr.write(
      `broadsheet: could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  }
  process.exit(1);
});
