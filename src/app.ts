/** The one composition root: opens the database, builds the adapters, registers every module's plugin. */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import formbody from "@fastify/formbody";
import type { FastifyInstance } from "fastify";
import { type ErrorPageRenderer, handleErrors } from "./app/error-handler.js";
import { createHttpApp, requestLine, securityHeaders } from "./app/http-server.js";
import { opsRoutes } from "./app/ops-routes.js";
import { type Rounds, startRounds } from "./app/rounds.js";
import { type BillingDeps, billingWebhookRoutes, connectStripe } from "./billing/index.js";
import {
  type CacheInvalidator,
  type ChangeRecorder,
  createCacheInvalidator,
  createFrontDoor,
  createPageCache,
  type PageCache,
} from "./cache/index.js";
import { CDN_PURGE_JOB, createPurger, enqueuePurge, purgeHandler } from "./cdn/index.js";
import { type Config, resolveSessionSecret } from "./config.js";
import * as content from "./content/index.js";
import {
  type Database,
  type Db,
  databaseWhenOpen,
  type OpenedDatabase,
  openDatabase,
  withStartUpLock,
} from "./db/index.js";
import { seedDemo } from "./demo/index.js";
import { distributionRoutes, pingHubHandler } from "./distribution/index.js";
import {
  type Brand,
  createMailer,
  MAIL_JOB,
  type Mailer,
  mailerNotes,
  mailJobsInFlight,
  postmarkWebhookRoutes,
} from "./email/index.js";
import { CONTENT_API_CACHE_SHARE, CONTENT_API_PREFIX, ghostContentApiRoutes } from "./ghost-api/index.js";
import { createJobRunner, type JobLog, type JobRunner, type JobRunnerOptions } from "./jobs/index.js";
import { limitRequests, type RequestLimits } from "./limits/index.js";
import {
  createDiskStorage,
  createPictureFiles,
  cropPicture,
  demoPictureRoutes,
  mediaFileRoutes,
} from "./media/index.js";
import { CLAIM_LIFETIME_MS, createMemberChanges, type MemberChanges } from "./members/index.js";
import { NEWSLETTER_SEND_JOB, newsletterSendHandler, seedDemoNewsletters } from "./newsletters/index.js";
import {
  createScheduler,
  ensureOwner,
  findSessionStaff,
  newsroomPlugin,
  type OwnerStatus,
  type Scheduler,
  STAFF_COOKIE,
} from "./newsroom/index.js";
import { createPaywallCounters, type PaywallCounters } from "./paywall/index.js";
import { type Clock, systemClock } from "./shared/clock.js";
import { MethodNotAllowed } from "./shared/errors.js";
import { loadSiteAssets, SEARCH_CACHE_SHARE, searchCacheKeyOf, siteRoutes } from "./site/index.js";

export type AppOverrides = {
  clock?: Clock;
  database?: Database;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** The embedded database's thread died: every query fails from then on (main.ts exits). */
  onDatabaseFatal?: (err: Error) => void;
  /** Stands in for the event loop's lag as load shedding reads it. */
  isLagging?: () => boolean;
  /** The database already being opened (main.ts starts it while this module loads); the app owns it as its own. */
  opening?: Promise<OpenedDatabase>;
  /** The job runner's timings (tests retry in milliseconds rather than seconds). */
  jobTimings?: Pick<JobRunnerOptions, "backoff" | "leaseMs" | "pollMs">;
};

export type BuiltApp = {
  app: FastifyInstance;
  /** Signs cookies; from SESSION_SECRET or generated once into DATA_DIR. */
  sessionSecret: string;
  database: Database;
  cache: PageCache;
  invalidator: CacheInvalidator;
  clock: Clock;
  owner: OwnerStatus;
  /** Publishes scheduled articles as they fall due; it has already caught up once when buildApp returns. */
  scheduler: Scheduler;
  notes: string[];
  paywallCounters: PaywallCounters;
  /** Readers' reads for "Most read", counted in memory; the rounds save them. */
  readCounts: content.ReadCounts;
  /** The timers' work; `checkMostRead` runs the front page's "Most read" check now. */
  rounds: Rounds;
  billing: BillingDeps;
  /** Load gates and per-IP rate limits. */
  limits: RequestLimits;
  /** Runs the queue's background jobs in this process; started by buildApp, stopped when the app closes. */
  jobs: JobRunner;
};

/** What every module's plugin is built from. */
type Parts = {
  config: Config;
  app: FastifyInstance;
  database: Database;
  db: Db;
  clock: Clock;
  sessionSecret: string;
  cache: PageCache;
  invalidator: CacheInvalidator;
  memberChanges: MemberChanges;
  limits: RequestLimits;
  notes: string[];
};

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<BuiltApp> {
  const clock = overrides.clock ?? systemClock;
  const notes: string[] = [];
  const sessionSecret = resolveSessionSecret(config);
  // The routes are built while the database opens (db/when-open.ts): each takes about a second of a start.
  let opening: Promise<OpenedDatabase> | undefined;
  let database = overrides.database;
  if (!database) {
    opening = overrides.opening ?? openDatabase(config, { onFatal: overrides.onDatabaseFatal });
    database = databaseWhenOpen(opening, config.databaseUrl ? "postgres" : "pglite");
  }
  const db = database.db;
  try {
    // What a change invalidates is purged at the CDN by jobs written in the change's own transaction.
    const { cdn } = config;
    const purgeAtEdge: ChangeRecorder | undefined =
      cdn && ((tx, tags) => enqueuePurge(tx, tags, { repurgeSeconds: cdn.repurgeSeconds }));
    const { cache, memberChanges, invalidator, listening } = createCaching(config, database, clock, purgeAtEdge);
    const serving = createServing(config, overrides, { db, clock, cache });
    const parts = { config, ...serving, database, db, clock, sessionSecret, cache, invalidator, memberChanges, notes };
    const { app } = serving;
    const { billing, paywallCounters, readCounts, mailer } = await registerPlugins(parts);

    if (opening) notes.unshift(...(await opening).notes);
    const owner = await prepareData(config, db, clock, notes);
    await demoPictureRoutes(app, demoDirOf(config));
    await listening;
    const scheduler = createScheduler({ db, clock, invalidator, log: app.log });
    const caughtUp = await scheduler.publishDue();
    if (caughtUp.length)
      notes.push(`scheduled articles that fell due while stopped, now published: ${caughtUp.length}`);
    scheduler.start();
    const rounds = startRounds({ db, clock, log: app.log, paywallCounters, readCounts, invalidator });

    const jobs = await startJobs(config, overrides, { database, log: app.log, mailer, clock, sessionSecret });

    app.addHook("onClose", async () => {
      // First: a running job may still need the mailer or the database.
      await jobs.stop();
      await rounds.stop();
      await scheduler.stop();
      await invalidator.stop();
      mailer.close();
      if (!overrides.database) await database.close();
    });

    const { limits } = serving;
    return {
      app,
      sessionSecret,
      database,
      cache,
      invalidator,
      clock,
      owner,
      scheduler,
      notes,
      paywallCounters,
      readCounts,
      rounds,
      billing,
      limits,
      jobs,
    };
  } catch (err) {
    // A database that never opened has nothing to close; its failure is the one to report.
    if (opening) await database.close().catch(() => undefined);
    throw err;
  }
}

/** Each module's job handlers, by kind; every process serving the site also works the queue. */
async function startJobs(
  config: Config,
  overrides: AppOverrides,
  deps: { database: Database; log: JobLog; mailer: Mailer; clock: Clock; sessionSecret: string },
): Promise<JobRunner> {
  const { database, log, mailer } = deps;
  const { db } = database;
  const pingHub = pingHubHandler({ db, publicUrl: config.publicUrl, hubUrl: config.websubHubUrl });
  const sendNewsletter = newsletterSendHandler({
    db,
    clock: deps.clock,
    mailer,
    sessionSecret: deps.sessionSecret,
    publicUrl: config.publicUrl,
    brand: () => brandOf(db, config.publicUrl),
  });
  const handlers: JobRunnerOptions["handlers"] = {
    [MAIL_JOB]: mailer.deliver,
    [content.FEEDS_CHANGED_JOB]: pingHub,
    [NEWSLETTER_SEND_JOB]: sendNewsletter,
  };
  if (config.cdn) handlers[CDN_PURGE_JOB] = purgeHandler(createPurger(config.cdn));
  const jobs = createJobRunner(
    { database, log },
    {
      leaseMs: config.jobLeaseMs,
      ...overrides.jobTimings,
      handlers,
      concurrency: { [MAIL_JOB]: mailJobsInFlight(config.mail.concurrency) },
    },
  );
  await jobs.start();
  return jobs;
}

/** Replicas starting at once on one database take turns, so only one seeds the demo or creates the owner. */
function prepareData(config: Config, db: Db, clock: Clock, notes: string[]): Promise<OwnerStatus> {
  return withStartUpLock(db, async (tx) => {
    if (config.seedDemo) {
      const seeded = await seedDemo({ db: tx, clock, mediaDir: join(config.dataDir, "media") });
      if (seeded) {
        await seedDemoNewsletters({ db: tx, clock });
        notes.push(`seeded the demo newspaper: ${seeded.articles} articles`);
      }
    }
    await content.ensureSettings(tx, { title: "Broadsheet", description: "News and analysis" });
    return ensureOwner({ db: tx, clock, publicUrl: config.publicUrl }, config.owner);
  });
}

function createCaching(config: Config, database: Database, clock: Clock, recordChange: ChangeRecorder | undefined) {
  const { searchMaxBytes, contentApiMaxBytes, ...pageCache } = config.pageCache;
  const cache = createPageCache({
    ...pageCache,
    clock,
    shares: {
      [SEARCH_CACHE_SHARE]: { maxBytes: searchMaxBytes },
      [CONTENT_API_CACHE_SHARE]: { maxBytes: contentApiMaxBytes },
    },
  });
  const memberChanges = createMemberChanges(CLAIM_LIFETIME_MS);
  const { invalidator, listening } = createCacheInvalidator(
    cache,
    database,
    (tags) => memberChanges.note(tags, clock.now().getTime()),
    recordChange,
  );
  return { cache, memberChanges, invalidator, listening };
}

/** The server, its doors before Fastify (cached pages, per-IP limits) and its one error handler. */
function createServing(
  config: Config,
  overrides: AppOverrides,
  { db, clock, cache }: { db: Db; clock: Clock; cache: PageCache },
) {
  const headers = securityHeaders(config);
  const logsRequests = ["trace", "debug", "info"].includes(config.logLevel);
  const frontDoor = createFrontDoor(cache, {
    headers,
    onAnswer: logsRequests
      ? (req, status) => app.log.info({ reqId: randomUUID(), ...requestLine(req, status, 0) }, "request")
      : undefined,
  });
  const app = createHttpApp(config, {
    headers,
    logsRequests,
    logStream: overrides.logStream,
    answeredFirst: (req, res) => frontDoor.serve(req, res) || limits.serve(req, res),
    onPreClose: () => frontDoor.close(),
  });
  // Set once the site's routes exist.
  let renderErrorPage: ErrorPageRenderer | undefined;
  handleErrors(app, () => renderErrorPage);

  // Per-IP rates on searches and the Content API, whose every read is uncached work; searches are limited
  // before Fastify sees them, unless cached (limits/CONTEXT.md).
  const refusalPage = (status: number, message: string) =>
    renderErrorPage?.({ status, message, requestId: undefined, isPlain: true }) ?? Promise.resolve(message);
  const limits = limitRequests(
    app,
    { db, clock, log: app.log, isLagging: overrides.isLagging, headers, refusalPage },
    {
      ...config.load,
      trustProxy: config.trustProxy,
      ratedPaths: { search: "/search", "content-api": `${CONTENT_API_PREFIX}/` },
      atTheDoor: { search: { gate: "search", isCached: (url) => cache.get(searchCacheKeyOf(url)) !== undefined } },
    },
  );
  const useErrorPage = (renderer: ErrorPageRenderer) => {
    renderErrorPage = renderer;
  };
  return { app, limits, useErrorPage };
}

/** Where the demo's pictures are copied at seeding. */
const demoDirOf = (config: Config) => join(config.dataDir, "media", "demo");

/** Every module's routes, each given what it needs. */
async function registerPlugins(parts: Parts & { useErrorPage(renderer: ErrorPageRenderer): void }) {
  const { app, config, db, clock, cache, invalidator, limits } = parts;
  const { publicUrl } = config;
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  // Uploads: DATA_DIR/media, one flat folder of server-made names; the demo's pictures sit in demo/ below it.
  const mediaStorage = createDiskStorage(join(config.dataDir, "media"));
  const demoDir = demoDirOf(config);
  await mediaFileRoutes(app, { storage: mediaStorage });
  const pictures = createPictureFiles({ storage: mediaStorage, demoDir });
  await opsRoutes(app, parts.database);
  await distributionRoutes(app, { db, cache, clock, publicUrl, pictures, websubHubUrl: config.websubHubUrl });
  const mailer = createMailer({ db, clock, log: app.log }, { ...config.mail, publicUrl });
  parts.notes.push(...mailerNotes(mailer));
  const paywallCounters = createPaywallCounters({ db, clock });
  const readCounts = content.createReadCounts({ db, clock });
  const billing = billingDeps(parts, mailer, paywallCounters);
  const assets = loadSiteAssets();
  await newsroomPlugin(app, {
    db,
    clock,
    publicUrl,
    mailer,
    invalidator,
    billing,
    media: { storage: mediaStorage, uploadMaxBytes: config.uploadMaxBytes },
    sessionSecret: parts.sessionSecret,
    stylesheet: assets.css,
  });
  const admit = limits.admit;
  await ghostContentApiRoutes(app, { db, cache, clock, publicUrl, admit: (res) => admit("content-api", res) });
  await billingWebhookRoutes(app, billing);
  await postmarkWebhookRoutes(app, { db, clock, credentials: config.postmarkWebhook });
  const invalidate = (tags: readonly string[]) => invalidator.invalidate(tags);
  const { sessionSecret, memberChanges } = parts;
  const members = { db, clock, mailer, sessionSecret, publicUrl, memberChanges, invalidate };
  const staffDeps = { db, clock, publicUrl };
  const isStaff = async (cookieHeader: string | undefined) =>
    Boolean(cookieHeader?.includes(`${STAFF_COOKIE}=`) && (await findSessionStaff(staffDeps, cookieHeader)));
  const site = await siteRoutes(app, {
    db,
    cache,
    clock,
    publicUrl,
    assets,
    members,
    paywallCounters,
    readCounts,
    billing,
    admit,
    isStaff,
    pictures,
    cropPicture,
  });
  parts.useErrorPage(site.renderErrorPage);

  app.route({
    method: ["POST", "PUT", "PATCH", "DELETE"],
    url: "/*",
    handler: async (_req, reply) => {
      reply.header("allow", "GET, HEAD");
      throw new MethodNotAllowed("METHOD_NOT_ALLOWED", "Pages can only be read (GET or HEAD).");
    },
  });
  return { billing, paywallCounters, readCounts, mailer };
}

/** What messages take from the site's settings. */
async function brandOf(db: Db, publicUrl: string): Promise<Brand> {
  const s = await content.getSettings(db);
  return { title: s.title, accentColor: s.accentColor, language: s.language, publicUrl };
}

function billingDeps(parts: Parts, mailer: Mailer, paywallCounters: PaywallCounters): BillingDeps {
  const { config, db, clock, invalidator, app } = parts;
  return {
    db,
    clock,
    stripe: config.stripe && connectStripe(config.stripe),
    webhookSecret: config.stripe?.webhookSecret,
    publicUrl: config.publicUrl,
    mailer,
    invalidate: (tags) => invalidator.invalidate(tags),
    currency: async () => (await content.getSettings(db)).currency,
    brand: () => brandOf(db, config.publicUrl),
    log: app.log,
    subscriptionStartedFrom: (articleId) => paywallCounters.count(articleId, "subscriptions"),
  };
}
