/** Starts the real app on a free loopback port with its own copy of a data directory. */
import { type AddressInfo, createServer } from "node:net";
import { type AppOverrides, type BuiltApp, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import * as content from "../../src/content/index.js";
import type { Clock } from "../../src/shared/clock.js";
import { copyTemplate, createPostgresDatabase, removeInBackground, type TestDatabaseKind } from "./db.js";
import { makers } from "./make.js";

/** A port free a moment ago. Prefer listening on port 0 wherever nothing needs the number in advance. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type TestApp = Awaited<ReturnType<typeof startApp>>;

const MAIL_TEST_JOB_TIMINGS: AppOverrides["jobTimings"] = { pollMs: 20, backoff: { baseMs: 20, maxMs: 100 } };

export async function startApp(
  options: {
    template?: "demo" | "empty";
    env?: Record<string, string>;
    clock?: Clock;
    /**
     * "postgres": a fresh database on the TEST_DATABASE_URL server instead of the template's PGlite, migrated but
     * empty whichever template is asked for.
     */
    database?: TestDatabaseKind;
    /** Receives the app's log lines (set LOG_LEVEL in `env` to have any). */
    logStream?: { write(line: string): void };
    /** Stands in for the event loop's lag as load shedding reads it. */
    isLagging?: () => boolean;
    /** The job runner's backoff, lease and poll (retries in milliseconds rather than seconds). */
    jobTimings?: AppOverrides["jobTimings"];
    /**
     * The SMTP server mail goes to (SMTP_URL), with the job runner polling and retrying milliseconds apart
     * unless `jobTimings` says otherwise: the same path as in production, without the waits.
     */
    smtp?: { url: string };
    /**
     * A second app on another's database, as a second process would be: on PGlite the same database object, on
     * PostgreSQL a pool of its own to the same database (the first app drops it).
     */
    beside?: { built: BuiltApp; databaseUrl: string | undefined };
  } = {},
) {
  const beside = options.beside;
  const postgres =
    options.database === "postgres" && !beside ? await createPostgresDatabase({ migrated: true }) : undefined;
  const databaseUrl = postgres?.url ?? beside?.databaseUrl;
  // Beside another app, the database is that app's: this one's copy keeps only the files.
  const dataDir = await copyTemplate(options.template ?? "demo", { withDatabase: !databaseUrl && !beside });
  // The app's links name its address (PUBLIC_URL defaults to http://localhost:PORT) and browsers follow them, so
  // the port is picked before the app is built; with PUBLIC_URL given, the system picks it as the app listens.
  const port = options.env?.PUBLIC_URL ? 0 : await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: "silent",
    SEED_DEMO: "false",
    // A test must not turn on the machine's speed: lag is stood in for by `isLagging` where it is the point.
    LOAD_SHED_LAG_MS: "0",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(options.smtp ? { SMTP_URL: options.smtp.url } : {}),
    ...options.env,
  });
  const built: BuiltApp = await buildApp(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.isLagging ? { isLagging: options.isLagging } : {}),
    ...(options.jobTimings || options.smtp ? { jobTimings: options.jobTimings ?? MAIL_TEST_JOB_TIMINGS } : {}),
    ...(beside && !beside.databaseUrl ? { database: beside.built.database } : {}),
  });
  await built.app.listen({ port, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(built.app.server.address() as AddressInfo).port}`;
  const deps = { db: built.database.db, clock: built.clock };
  return {
    url,
    built,
    dataDir,
    /** The PostgreSQL database's address, when the app runs on one. */
    databaseUrl,
    db: built.database.db,
    make: makers(deps),
    /** A request that does not follow redirects, so tests see 301s. */
    get(path: string, init: RequestInit = {}) {
      return fetch(url + path, { redirect: "manual", ...init });
    },
    async html(path: string): Promise<string> {
      const res = await fetch(url + path, { redirect: "manual" });
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
      return res.text();
    },
    /** What the newsroom's publish action does: publish, then refresh the pages that show the article (and the edge's). */
    async publish(id: string) {
      return built.invalidator.commit((tx) => content.publishArticle({ ...deps, db: tx }, { id }));
    },
    async close() {
      await built.app.close();
      // Nothing uses the database once its app has closed: dropping it (seconds) goes on behind the next test.
      postgres?.dropInBackground();
      removeInBackground(dataDir);
    },
  };
}
