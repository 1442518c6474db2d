/** The one composition root: opens the database, builds the adapters, registers every module's routes. */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import { join } from "node:path";
import formbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import { type BillingDeps, billingWebhookRoutes, connectStripe } from "./billing/index.js";
import {
  type CacheInvalidator,
  cachePolicyHeaders,
  compressReply,
  createFrontDoor,
  createPageCache,
  negotiateEncoding,
  type PageCache,
  startCacheInvalidation,
} from "./cache/index.js";
import { createPurger, startPurging } from "./cdn/index.js";
import { type Config, resolveSessionSecret } from "./config.js";
import * as content from "./content/index.js";
import {
  type Database,
  databaseUnavailable,
  type OpenedDatabase,
  openDatabase,
  pendingMigrations,
  withoutQueryValues,
  withStartUpLock,
} from "./db/index.js";
import { seedDemo } from "./demo/index.js";
import { distributionRoutes } from "./distribution/index.js";
import { createMailer, mailerNotes } from "./email/index.js";
import { CONTENT_API_CACHE_SHARE, CONTENT_API_PREFIX, ghostContentApiRoutes, toGhostError } from "./ghost-api/index.js";
import { limitRequests, pruneAttempts, type RequestLimits } from "./limits/index.js";
import { createDiskStorage, mediaFileRoutes } from "./media/index.js";
import { CLAIM_LIFETIME_MS, createMemberChanges } from "./members/index.js";
import {
  createScheduler,
  ensureOwner,
  findSessionStaff,
  linkPages,
  newsroomApiRoutes,
  newsroomAppRoutes,
  type OwnerStatus,
  type Scheduler,
  STAFF_COOKIE,
  setupRoutes,
} from "./newsroom/index.js";
import { createPaywallCounters, type PaywallCounters } from "./paywall/index.js";
import { type Clock, systemClock } from "./shared/clock.js";
import {
  AppError,
  Invalid,
  MethodNotAllowed,
  NotFound,
  Overloaded,
  RateLimited,
  TooManyRequests,
  Unavailable,
} from "./shared/errors.js";
import { lazyRequestValidators, lazyResponseSerializers } from "./shared/lazy-schema-compilers.js";
import { refuseNulCharacter } from "./shared/nul-character.js";
import { type ErrorPageInput, loadSiteAssets, SEARCH_CACHE_SHARE, searchCacheKeyOf, siteRoutes } from "./site/index.js";

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
  billing: BillingDeps;
  /** Load gates and per-IP rate limits. */
  limits: RequestLimits;
  /** CDN purges under way, when CDN_PROVIDER is set: `settled()` waits for those started so far. */
  cdnPurges: { settled(): Promise<void> } | undefined;
};

// Paywall counters are added to the table this often; a crash loses at most this much counting.
const COUNTER_FLUSH_MS = 10_000;

// Longer than any attempt limit's window; pruned hourly.
const ATTEMPTS_KEPT_MS = 24 * 60 * 60_000;

// Long enough for a pasted search query; Node itself refuses request lines over 16 KiB.
const MAX_URL_LENGTH = 12_000;
const JSON_PREFIXES = ["/admin/api/", "/ghost/api/", "/members/api/", "/webhooks/"];

const ADDRESS_REFUSALS = { 400: "That address is not valid.", 414: "That address is too long." } as const;

/** An address refused before any route sees it: a plain sentence, never the address echoed back. */
function refuseAddress(reply: FastifyReply, status: keyof typeof ADDRESS_REFUSALS): void {
  reply.code(status).type("text/plain; charset=utf-8").send(ADDRESS_REFUSALS[status]);
}

/** The request log's line: one per request, from the front door or from Fastify's onResponse hook. */
function requestLine(req: IncomingMessage, status: number, ms: number) {
  // Emailed links carry their token in the query string: it never reaches the log.
  return { method: req.method, url: req.url?.replace(/([?&]token=)[^&]*/g, "$1…"), status, ms: Math.round(ms) };
}

/**
 * Forms post only to this site, except that subscribing and managing billing end in a redirect to Stripe's
 * Checkout and Customer Portal (or, when STRIPE_API_URL points elsewhere, to that stand-in's pages).
 */
function securityHeaders(config: Pick<Config, "publicUrl" | "stripe">): Record<string, string> {
  const stripeApiUrl = config.stripe?.apiUrl;
  const stripeOrigins = stripeApiUrl
    ? new URL(stripeApiUrl).hostname === "api.stripe.com"
      ? " https://checkout.stripe.com https://billing.stripe.com"
      : ` ${new URL(stripeApiUrl).origin}`
    : "";
  // Served over https: browsers keep to https for two years. Not for subdomains, which the paper may not own.
  const hsts: Record<string, string> = config.publicUrl.startsWith("https:")
    ? { "strict-transport-security": "max-age=63072000" }
    : {};
  return {
    ...hsts,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "SAMEORIGIN",
    "content-security-policy": `default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'${stripeOrigins}; object-src 'none'`,
  };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<BuiltApp> {
  const clock = overrides.clock ?? systemClock;
  const notes: string[] = [];
  const sessionSecret = resolveSessionSecret(config);
  let database = overrides.database;
  if (!database) {
    const opened = await (overrides.opening ?? openDatabase(config, { onFatal: overrides.onDatabaseFatal }));
    database = opened.database;
    notes.push(...opened.notes);
  }
  const db = database.db;
  try {
    // Replicas starting at once on one database take turns, so only one seeds the demo or creates the owner.
    const owner = await withStartUpLock(db, async (tx) => {
      if (config.seedDemo) {
        const seeded = await seedDemo({ db: tx, clock, mediaDir: join(config.dataDir, "media") });
        if (seeded) notes.push(`seeded the demo newspaper: ${seeded.articles} articles`);
      }
      await content.ensureSettings(tx, { title: "Broadsheet", description: "News and analysis" });
      return ensureOwner({ db: tx, clock, publicUrl: config.publicUrl }, config.owner);
    });

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
    // Changes are purged at the CDN by the process that made them (the log is the app's, made below).
    const purging =
      config.cdn &&
      startPurging(createPurger(config.cdn), {
        warn: (detail, msg) => app.log.warn(detail, msg),
        error: (detail, msg) => app.log.error(detail, msg),
      });
    const invalidator = await startCacheInvalidation(
      cache,
      database,
      (tags) => memberChanges.note(tags, clock.now().getTime()),
      purging ? (tags) => purging.purge(tags) : undefined,
    );
    const assets = loadSiteAssets();

    const headers = securityHeaders(config);
    const logsRequests = ["trace", "debug", "info"].includes(config.logLevel);
    const frontDoor = createFrontDoor(cache, {
      headers,
      onAnswer: logsRequests
        ? (req, status) => app.log.info({ reqId: randomUUID(), ...requestLine(req, status, 0) }, "request")
        : undefined,
    });
    const app = Fastify({
      logger: {
        level: config.logLevel,
        // A failed query's error carries the values it was given (addresses, names, tokens): never logged.
        hooks: { logMethod: logWithoutQueryValues },
        ...(overrides.logStream ? { stream: overrides.logStream } : {}),
      },
      // Cookieless reads of pages the routes have cached are answered at the front door, before any routing.
      serverFactory: (handler) => {
        const server = createServer((req, res) => {
          if (!frontDoor.serve(req, res) && !limits.serve(req, res)) handler(req, res);
        });
        // What Fastify sets on a server it makes itself: longer than a load balancer's idle timeout.
        server.keepAliveTimeout = 72_000;
        return server;
      },
      // Addresses the router refuses before any route or hook (a malformed escape, an over-long segment):
      // a plain message with the usual headers, not Fastify's JSON echoing the address back.
      frameworkErrors: (error, _req, reply: FastifyReply) => {
        refuseAddress(reply.headers(headers), error.statusCode === 414 ? 414 : 400);
      },
      // One line per request, written by the onResponse hook below, instead of Fastify's two.
      logController: new LogController({ disableRequestLogging: true }),
      genReqId: () => randomUUID(),
      trustProxy: config.trustProxy,
      bodyLimit: 1024 * 1024,
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
      schemaController: {
        compilersFactory: { buildValidator: lazyRequestValidators(), buildSerializer: lazyResponseSerializers() },
      },
    });

    // Hooks that run for every request take a callback rather than returning a promise: one less per request.
    app.addHook("onRequest", (req, reply, done) => {
      reply.headers(headers);
      // Answered here, the request goes no further: done() is not called.
      if (req.url.length > MAX_URL_LENGTH) {
        refuseAddress(reply, 414);
        return;
      }
      done();
    });
    // Answers the page cache did not make get its validators and compression here.
    app.addHook("onSend", compressReply);
    // PostgreSQL text cannot hold U+0000: a NUL anywhere in a request's input is refused before any route reads it.
    app.addHook("preValidation", (req, _reply, done) => done(refuseNulCharacter(req)));
    // No hook at all when the level leaves the request line out.
    if (logsRequests) {
      app.addHook("onResponse", (req, reply, done) => {
        req.log.info(requestLine(req.raw, reply.statusCode, reply.elapsedTime), "request");
        done();
      });
    }
    // In-flight requests finish; new ones, the front door's too, get Fastify's refusal while it closes.
    app.addHook("preClose", (done) => {
      frontDoor.close();
      done();
    });

    const isJsonRoute = (url: string) => JSON_PREFIXES.some((p) => url.startsWith(p));
    // Set once the site's routes exist; errors before that (none expected) get plain text.
    let renderErrorPage: ((input: ErrorPageInput, req?: FastifyRequest) => Promise<string>) | undefined;

    app.setErrorHandler(async (error: FastifyError | AppError | Error, req, reply) => {
      const appError = toAppError(error);
      // Load shed on purpose is not a failure: nothing to log, nothing to refer to, a plain page made once.
      const isShed = appError instanceof Overloaded || appError instanceof RateLimited;
      if (appError.status >= 500 && !isShed) req.log.error({ err: error }, "request failed");
      const retryAfter = appError instanceof TooManyRequests || appError instanceof Unavailable;
      if (retryAfter && appError.retryAfterSeconds) reply.header("retry-after", String(appError.retryAfterSeconds));
      // An Unavailable's message is written for people; other 5xx details stay in the log.
      const message =
        appError.status >= 500 && !(appError instanceof Unavailable)
          ? "The server could not complete this request. Please try again."
          : appError.message;
      if (isJsonRoute(req.url)) {
        const body = {
          type: appError.name,
          code: appError.code,
          message,
          property: appError.property ?? null,
          help: appError.help ?? null,
          id: req.id,
        };
        // Ghost's clients read Ghost's class names from `type` (NotFoundError, UnauthorizedError…).
        const isGhostApi = req.url.startsWith("/ghost/api/");
        return reply.code(appError.status).send({ errors: [isGhostApi ? toGhostError(appError.status, body) : body] });
      }
      const requestId = appError.status >= 500 && !isShed ? req.id : undefined;
      const input = { status: appError.status, message, requestId, isPlain: isShed };
      const html = await (renderErrorPage?.(input, req) ?? Promise.resolve(message)).catch(() => message);
      return reply
        .code(appError.status)
        .header("content-type", "text/html; charset=utf-8")
        .headers(cachePolicyHeaders("error"))
        .send(html);
    });
    app.setNotFoundHandler(async () => {
      throw new NotFound(
        "PAGE_NOT_FOUND",
        "There is no page at this address. It may have moved, or the link may be mistyped.",
      );
    });

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

    await app.register(formbody, { bodyLimit: 64 * 1024 });
    // Uploads: DATA_DIR/media, one flat folder of server-made names; the demo's pictures sit in demo/ below it.
    const mediaStorage = createDiskStorage(join(config.dataDir, "media"));
    await mediaFileRoutes(app, { storage: mediaStorage });
    await app.register(fastifyStatic, {
      root: join(config.dataDir, "media", "demo"),
      prefix: "/media/demo/",
      decorateReply: false,
      maxAge: "7d",
      immutable: true,
      wildcard: false,
    });

    app.get("/healthz", async () => ({ status: "ok" }));
    app.get("/readyz", async (_req, reply) => {
      try {
        const pending = await pendingMigrations(database);
        if (pending.length) return reply.code(503).send({ status: "migrating", pending });
        return { status: "ready" };
      } catch {
        return reply.code(503).send({ status: "database unreachable" });
      }
    });
    app.get<{ Params: { file: string } }>("/assets/:file", async (req, reply) => {
      const file = assets.files.get(req.params.file);
      if (!file) throw new NotFound("ASSET_NOT_FOUND", "No such file");
      // A file that does not shrink (a font) keeps its bytes in place of a copy.
      const copies = (["br", "gzip"] as const).filter((coding) => file[coding] !== file.body);
      const encoding = negotiateEncoding(req.headers["accept-encoding"], copies);
      reply.header("content-type", file.contentType).headers(cachePolicyHeaders("asset"));
      if (encoding !== "identity") reply.header("content-encoding", encoding);
      return reply.send(encoding === "identity" ? file.body : file[encoding]);
    });

    await setupRoutes(app, { db, clock, stylesheet: assets.css, publicUrl: config.publicUrl });
    await distributionRoutes(app, { db, cache, clock, publicUrl: config.publicUrl });
    const mailer = createMailer({ db, clock, log: app.log }, { ...config.mail, publicUrl: config.publicUrl });
    notes.push(...mailerNotes(mailer));
    const members = {
      db,
      clock,
      mailer,
      sessionSecret,
      publicUrl: config.publicUrl,
      memberChanges,
      invalidate: (tags: readonly string[]) => invalidator.invalidate(tags),
    };
    const paywallCounters = createPaywallCounters({ db, clock });
    const flushCounters = () =>
      paywallCounters.flush().catch((err: unknown) => app.log.error({ err }, "paywall counters not saved"));
    const counterTimer = setInterval(flushCounters, COUNTER_FLUSH_MS).unref();
    const pruneTimer = setInterval(() => {
      pruneAttempts({ db, clock }, { olderThanMs: ATTEMPTS_KEPT_MS }).catch((err: unknown) =>
        app.log.error({ err }, "old sign-in attempts not pruned"),
      );
    }, ATTEMPTS_KEPT_MS / 24).unref();
    const stripe = config.stripe && connectStripe(config.stripe);
    const billingDeps: BillingDeps = {
      db,
      clock,
      stripe,
      webhookSecret: config.stripe?.webhookSecret,
      publicUrl: config.publicUrl,
      mailer,
      invalidate: (tags) => invalidator.invalidate(tags),
      currency: async () => (await content.getSettings(db)).currency,
      brand: async () => {
        const s = await content.getSettings(db);
        return { title: s.title, accentColor: s.accentColor, language: s.language, publicUrl: config.publicUrl };
      },
      log: app.log,
      subscriptionStartedFrom: (articleId) => paywallCounters.count(articleId, "subscriptions"),
    };
    await newsroomApiRoutes(app, {
      db,
      clock,
      publicUrl: config.publicUrl,
      mailer,
      invalidator,
      billing: billingDeps,
      media: { storage: mediaStorage, uploadMaxBytes: config.uploadMaxBytes },
      sessionSecret,
    });
    await linkPages(app, { db, clock, publicUrl: config.publicUrl, stylesheet: assets.css });
    await newsroomAppRoutes(app);
    await ghostContentApiRoutes(app, {
      db,
      cache,
      clock,
      publicUrl: config.publicUrl,
      admit: (res) => limits.admit("content-api", res),
    });
    await billingWebhookRoutes(app, billingDeps);
    const site = await siteRoutes(app, {
      db,
      cache,
      clock,
      publicUrl: config.publicUrl,
      assets,
      members,
      paywallCounters,
      billing: billingDeps,
      admit: limits.admit,
      isStaff: async (cookieHeader) =>
        Boolean(
          cookieHeader?.includes(`${STAFF_COOKIE}=`) &&
            (await findSessionStaff({ db, clock, publicUrl: config.publicUrl }, cookieHeader)),
        ),
    });
    renderErrorPage = site.renderErrorPage;

    app.route({
      method: ["POST", "PUT", "PATCH", "DELETE"],
      url: "/*",
      handler: async (_req, reply) => {
        reply.header("allow", "GET, HEAD");
        throw new MethodNotAllowed("METHOD_NOT_ALLOWED", "Pages can only be read (GET or HEAD).");
      },
    });

    const scheduler = createScheduler({ db, clock, invalidator, log: app.log });
    const caughtUp = await scheduler.publishDue();
    if (caughtUp.length)
      notes.push(`scheduled articles that fell due while stopped, now published: ${caughtUp.length}`);
    scheduler.start();

    app.addHook("onClose", async () => {
      clearInterval(counterTimer);
      clearInterval(pruneTimer);
      await flushCounters();
      await scheduler.stop();
      await invalidator.stop();
      mailer.close();
      if (!overrides.database) await database.close();
    });

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
      billing: billingDeps,
      limits,
      cdnPurges: purging || undefined,
    };
  } catch (err) {
    if (!overrides.database) await database.close();
    throw err;
  }
}

function toAppError(error: FastifyError | AppError | Error): AppError {
  // First: the embedded database's own closed or stopped errors are AppErrors, and they answer like any outage.
  const unreachable = databaseUnavailable(error);
  if (unreachable) return unreachable;
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const property = first?.instancePath
      ? first.instancePath.replace(/^\//, "").replaceAll("/", ".")
      : (first?.params as { missingProperty?: string })?.missingProperty;
    return new Invalid(
      "VALIDATION_FAILED",
      `${fastifyError.validationContext ?? "request"}${property ? `.${property}` : ""} ${first?.message ?? "is invalid"}`,
      { property },
    );
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    const mapped = new (class extends AppError {
      override readonly status = status as number;
    })(fastifyError.code ?? "BAD_REQUEST", fastifyError.message);
    return mapped;
  }
  return new AppError("INTERNAL", error.message, { cause: error });
}

/** pino's logMethod hook: an error, alone or as `err`, is logged without a failed query's values. */
function logWithoutQueryValues(this: unknown, args: unknown[], method: (...args: unknown[]) => void): void {
  const [first, ...rest] = args;
  const scrubbed =
    first instanceof Error
      ? withoutQueryValues(first)
      : first && typeof first === "object" && "err" in first
        ? { ...first, err: withoutQueryValues(first.err) }
        : first;
  method.apply(this, scrubbed === first ? args : [scrubbed, ...rest]);
}
