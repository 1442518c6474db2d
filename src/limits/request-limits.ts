/**
 * The limits a request meets before its route does any work: per-IP rates on some paths (429 with Retry-After),
 * and the load gates, one per class of uncached work (503 with Retry-After when full or while the event loop
 * lags). Routes take a turn themselves once the page cache has missed (`admit`), so a cached answer is never
 * refused; whole-request gates are for paths with no cache at all.
 */
import type { ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { TooManyRequests } from "../shared/errors.js";
import { watchEventLoopLag } from "./event-loop-lag.js";
import { createLoadGate, type GateLimits, type LoadGate } from "./load-gate.js";
import { createRateLimiter } from "./request-rate.js";

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
  /** Paths whose every GET or HEAD is uncached work, by gate: they take their turn before any route runs. */
  gatedPaths: Readonly<Record<string, string>>;
};

export type RequestLimits = {
  /** A turn in the gate for uncached work, held until `res` closes; rejects with Overloaded when refused. */
  admit(gate: string, res: ServerResponse): Promise<void>;
  /** Shares this process's request counts with the others (runs every second by itself). */
  flush(): Promise<void>;
  stats(): Record<string, { active: number; queued: number; refused: number }>;
};

const FLUSH_EVERY_MS = 1000;
const LAG_SAMPLE_MS = 500;

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
};

const RATE_LIMITED = "Too many requests from your address in a short time. Please wait a little, then try again.";

export function limitRequests(
  app: FastifyInstance,
  deps: RequestLimitsDeps,
  options: RequestLimitsOptions,
): RequestLimits {
  const lag =
    deps.isLagging || options.maxLagMs === 0
      ? undefined
      : watchEventLoopLag({ maxLagMs: options.maxLagMs, sampleMs: LAG_SAMPLE_MS });
  const isLagging = deps.isLagging ?? lag?.isLagging ?? (() => false);
  const gates = new Map<string, LoadGate>(
    Object.entries(options.gates).map(([name, limits]) => [name, createLoadGate({ ...limits, isLagging })]),
  );
  const rates = Object.entries(options.ratedPaths).flatMap(([scope, path]) => {
    const limit = options.rateLimits[scope] ?? 0;
    return limit > 0 ? [{ scope, path, limit }] : [];
  });
  const gatedPaths = Object.entries(options.gatedPaths).map(([gate, path]) => ({ gate, path }));
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

  if (rates.length > 0 || gatedPaths.length > 0) {
    // A callback hook, as for every request: no promise unless a gate is entered.
    app.addHook("onRequest", (req, reply, done) => {
      const rated = rates.find((r) => matches(r.path, req.url));
      if (rated) {
        const wait = limiter.take(rated.scope, req.ip);
        if (wait > 0) {
          done(new TooManyRequests("RATE_LIMITED", RATE_LIMITED, { retryAfterSeconds: wait }));
          return;
        }
      }
      const gated =
        req.method === "GET" || req.method === "HEAD" ? gatedPaths.find((g) => matches(g.path, req.url)) : undefined;
      if (!gated) {
        done();
        return;
      }
      admit(gated.gate, reply.raw).then(() => done(), done);
    });
  }

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
          if (!failing) deps.log.warn({ err }, "request counts not shared with the other processes");
          failing = true;
        },
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = rates.length > 0 ? setInterval(share, FLUSH_EVERY_MS).unref() : undefined;
  app.addHook("onClose", async () => {
    clearInterval(timer);
    lag?.stop();
    // The last second's counts are not sent: the database may be closing too, and a limit is approximate anyway.
    await running;
  });

  return {
    admit,
    flush: () => limiter.flush(),
    stats: () => Object.fromEntries([...gates].map(([name, gate]) => [name, gate.stats()])),
  };
}
