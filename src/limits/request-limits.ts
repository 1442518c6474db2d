/**
 * The limits a request meets before its route does any work: per-IP rates on some paths (429 with Retry-After),
 * and the load gates, one per class of uncached work (503 with Retry-After when full or while the event loop
 * lags). Routes take a turn themselves once the page cache has missed (`admit`), so a cached answer is never
 * refused. Paths at the door are limited before Fastify
 * parses or routes them, so a flood's refusals cost as little as the front door's answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { RateLimited } from "../shared/errors.js";
import { type LagWatch, watchEventLoopLag } from "./event-loop-lag.js";
import { BUSY, createLoadGate, type GateLimits, type LoadGate, SHED_RETRY_AFTER_SECONDS } from "./load-gate.js";
import { createRateLimiter, type RateLimiter } from "./request-rate.js";

export type RequestLimitsOptions = {
  /** A gate per class of uncached work. */
  gates: Readonly<Record<string, GateLimits>>;
  /** New uncached work is refused while the event loop is this far behind, in ms; 0: not watched. */
  maxLagMs: number;
  rateWindowMs: number;
  /** Requests per window one IP may make, by scope; 0: no limit. */
  rateLimits: Readonly<Record<string, number>>;
  /** The path each rate-limited scope covers: exactly, or every path under one ending in "/". */
  ratedPaths: Readonly<Record<string, string>>;
  /**
   * Rated scopes whose pages are limited at the door, by scope: the gate their uncached work takes turns in, and
   * whether the page cache holds the answer to a cookieless read of an address (that one is never refused).
   */
  atTheDoor: Readonly<Record<string, { gate: string; isCached(url: string): boolean }>>;
  /** Whether X-Forwarded-For names the client, as Fastify's trustProxy. */
  trustProxy: boolean;
};

export type Door = {
  /** True when it refused the request (429 or 503, a plain page); otherwise the request is untouched. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
};

export type RequestLimits = Door & {
  /** A turn in the gate for uncached work, held until `res` closes; rejects with Overloaded when refused. */
  admit(gate: string, res: ServerResponse): Promise<void>;
  /** Shares this process's request counts with the others (runs every second by itself). */
  flush(): Promise<void>;
  stats(): Record<string, { active: number; queued: number; refused: number }>;
};

const FLUSH_EVERY_MS = 1000;
// A refusal at the door is sent this long after the request: a client that ignores Retry-After then asks at most
// twenty times a second per connection, so a flood cannot keep the process busy with refusals alone.
const REFUSAL_PACE_MS = 50;
const LAG_SAMPLE_MS = 500;

/** The client's address as Fastify's `req.ip` gives it: trusting the proxy, the first X-Forwarded-For entry. */
function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || (req.socket.remoteAddress ?? "");
}

const matches = (path: string, url: string) => {
  const end = url.indexOf("?");
  const urlPath = end < 0 ? url : url.slice(0, end);
  return path.endsWith("/") ? urlPath.startsWith(path) : urlPath === path || urlPath === `${path}/`;
};

export type RequestLimitsDeps = {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Stands in for the event loop's own measure (tests). */
  isLagging?: (() => boolean) | undefined;
  /** Sent on every answer at the door, as on every other: the site's security headers. */
  headers: Readonly<Record<string, string>>;
  /** The plain page a refusal at the door shows. */
  refusalPage(status: number, message: string): Promise<string>;
};

const RATE_LIMITED = "Too many requests from your address in a short time. Please wait a little, then try again.";

export function limitRequests(
  app: FastifyInstance,
  deps: RequestLimitsDeps,
  options: RequestLimitsOptions,
): RequestLimits {
  const lag = deps.isLagging ? undefined : watchLagOnceReady(app, options.maxLagMs);
  const isLagging = deps.isLagging ?? (() => lag?.isLagging() ?? false);
  const gates = new Map<string, LoadGate>(
    Object.entries(options.gates).map(([name, limits]) => [name, createLoadGate({ ...limits, isLagging })]),
  );
  const { rates, routedRates, doorPaths } = ratedScopes(options, gates);
  const limiter = createRateLimiter(
    deps,
    Object.fromEntries(rates.map((r) => [r.scope, { limit: r.limit, windowMs: options.rateWindowMs }])),
  );

  async function admit(name: string, res: ServerResponse): Promise<void> {
    const gate = gates.get(name);
    if (!gate) throw new Error(`no load gate named ${name}`);
    const turn = gate.enter();
    // Closed: answered, or the client went away; either way the turn is over, queued or not.
    res.once("close", turn.leave);
    await turn.ready;
  }

  if (routedRates.length > 0) {
    // A callback hook, as for every request: no promise.
    app.addHook("onRequest", (req, _reply, done) => {
      const rated = routedRates.find((r) => matches(r.path, req.url));
      const wait = rated ? limiter.take(rated.scope, req.ip) : 0;
      done(wait > 0 ? new RateLimited("RATE_LIMITED", RATE_LIMITED, { retryAfterSeconds: wait }) : undefined);
    });
  }

  const sharing = rates.length > 0 ? shareCountsEverySecond(app, limiter, deps.log) : undefined;
  // Before the server and the database close: no flush starts after this, and the one under way ends first.
  app.addHook("preClose", (done) => {
    lag?.stop();
    // The last second's counts are not sent: a limit is approximate anyway.
    void Promise.resolve(sharing?.stop()).then(() => done());
  });

  const refuse = refusalSender(deps);

  function serve(req: IncomingMessage, res: ServerResponse): boolean {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.url === undefined) return false;
    const url = req.url;
    const door = doorPaths.find((d) => matches(d.path, url));
    if (!door) return false;
    const wait = door.isRated ? limiter.take(door.scope, clientAddress(req, options.trustProxy)) : 0;
    if (wait > 0) {
      refuse(req, res, { status: 429, message: RATE_LIMITED, wait });
      return true;
    }
    // Only a cookieless read can be known to be cached here; any other goes on to its route, which asks the gate.
    const isCookieless = req.headers.cookie === undefined && req.headers.authorization === undefined;
    if (door.gate.isRefusing() && isCookieless && !door.isCached(url)) {
      refuse(req, res, { status: 503, message: BUSY, wait: SHED_RETRY_AFTER_SECONDS });
      return true;
    }
    return false;
  }

  return {
    serve,
    admit,
    flush: () => limiter.flush(),
    stats: () => Object.fromEntries([...gates].map(([name, gate]) => [name, gate.stats()])),
  };
}

type Refusal = { status: number; message: string; wait: number };

/** Sends a refusal at the door: a plain page (made once per message), a moment after the request. */
function refusalSender(
  deps: Pick<RequestLimitsDeps, "headers" | "refusalPage">,
): (req: IncomingMessage, res: ServerResponse, refusal: Refusal) => void {
  const pages = new Map<string, Promise<Buffer>>();
  return (req, res, refusal) => {
    let page = pages.get(refusal.message);
    if (!page) {
      page = deps.refusalPage(refusal.status, refusal.message).then((html) => Buffer.from(html));
      pages.set(refusal.message, page);
    }
    const send = (body: Buffer) => {
      if (res.destroyed) return;
      res.writeHead(refusal.status, {
        ...deps.headers,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(refusal.wait),
        "content-length": String(body.length),
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    void page.then((body) => setTimeout(send, REFUSAL_PACE_MS, body));
  };
}

/**
 * Flushes the limiter's counts every second from when the app is ready (a server builds its routes while the
 * database opens), warning once per outage; `stop` ends it after the flush under way.
 */
function shareCountsEverySecond(
  app: FastifyInstance,
  limiter: Pick<RateLimiter, "flush">,
  log: FastifyBaseLogger,
): { stop(): Promise<void> | undefined } {
  let failing = false;
  let running: Promise<void> | undefined;
  const share = () => {
    running ??= limiter
      .flush()
      .then(
        () => {
          failing = false;
        },
        (err: unknown) => {
          // Once per outage: the counts stay here meanwhile and go with the next flush that works.
          if (!failing) log.warn({ err }, "request counts not shared with the other processes");
          failing = true;
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook("onReady", (done) => {
    timer = setInterval(share, FLUSH_EVERY_MS).unref();
    done();
  });
  return {
    stop() {
      clearInterval(timer);
      return running;
    },
  };
}

/** The event loop's lag, watched from when the routes are ready: building them holds the loop up, which says nothing of load. */
function watchLagOnceReady(app: FastifyInstance, maxLagMs: number): Pick<LagWatch, "isLagging" | "stop"> | undefined {
  if (maxLagMs <= 0) return undefined;
  let watch: LagWatch | undefined;
  app.addHook("onReady", (done) => {
    watch = watchEventLoopLag({ maxLagMs, sampleMs: LAG_SAMPLE_MS });
    done();
  });
  return { isLagging: () => watch?.isLagging() ?? false, stop: () => watch?.stop() };
}

/** The scopes with a rate limit, those Fastify's hook counts, and the paths the door limits itself, with their gates. */
function ratedScopes(options: RequestLimitsOptions, gates: ReadonlyMap<string, LoadGate>) {
  const rates = Object.entries(options.ratedPaths).flatMap(([scope, path]) => {
    const limit = options.rateLimits[scope] ?? 0;
    return limit > 0 ? [{ scope, path, limit }] : [];
  });
  // The door counts its own scopes; Fastify's hook the rest.
  const routedRates = rates.filter((r) => !options.atTheDoor[r.scope]);
  const doorPaths = Object.entries(options.atTheDoor).flatMap(([scope, door]) => {
    const path = options.ratedPaths[scope];
    const gate = gates.get(door.gate);
    if (!path || !gate) throw new Error(`the door's ${scope} needs a rated path and a gate`);
    return [{ scope, path, gate, isCached: door.isCached, isRated: rates.some((r) => r.scope === scope) }];
  });
  return { rates, routedRates, doorPaths };
}
