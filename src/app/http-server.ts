/** The Fastify instance and the node:http server under it: security headers, address checks, the request log. */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type FastifyReply, LogController } from "fastify";
import { compressReply } from "../cache/index.js";
import type { Config } from "../config.js";
import { withoutQueryValues } from "../db/index.js";
import { lazyRequestValidators, lazyResponseSerializers } from "../shared/lazy-schema-compilers.js";
import { refuseNulCharacter } from "../shared/nul-character.js";
import { errorEnvelope, isJsonRoute } from "./error-handler.js";

// Long enough for a pasted search query; Node itself refuses request lines over 16 KiB.
const MAX_URL_LENGTH = 12_000;

const ADDRESS_REFUSALS = { 400: "That address is not valid.", 414: "That address is too long." } as const;

/**
 * An address refused before any route sees it: a plain sentence (on a JSON route, its error envelope), never the
 * address echoed back.
 */
function refuseAddress(reply: FastifyReply, status: keyof typeof ADDRESS_REFUSALS): void {
  const message = ADDRESS_REFUSALS[status];
  if (!isJsonRoute(reply.request.url)) {
    reply.code(status).type("text/plain; charset=utf-8").send(message);
    return;
  }
  const [type, code] = status === 414 ? ["UriTooLong", "URL_TOO_LONG"] : ["Invalid", "URL_INVALID"];
  const error = { type, code, message, property: null, help: null, id: reply.request.id };
  reply.code(status).send(errorEnvelope(reply, status, error));
}

/** The request log's line: one per request, from the front door or from Fastify's onResponse hook. */
export function requestLine(req: IncomingMessage, status: number, ms: number) {
  // Emailed links carry their token in the query string: it never reaches the log.
  return { method: req.method, url: req.url?.replace(/([?&]token=)[^&]*/g, "$1…"), status, ms: Math.round(ms) };
}

/**
 * Forms post only to this site, except that subscribing and managing billing end in a redirect to Stripe's
 * Checkout and Customer Portal (or, when STRIPE_API_URL points elsewhere, to that stand-in's pages).
 */
export function securityHeaders(config: Pick<Config, "publicUrl" | "stripe">): Record<string, string> {
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

export type HttpAppOptions = {
  headers: Record<string, string>;
  logsRequests: boolean;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Answers a request before Fastify routes it (the front door, the limits' door); false passes it on. */
  answeredFirst: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Called as the server starts closing, before in-flight requests finish. */
  onPreClose: () => void;
};

export function createHttpApp(config: Config, options: HttpAppOptions): FastifyInstance {
  const { headers } = options;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      // A failed query's error carries the values it was given (addresses, names, tokens): never logged.
      hooks: { logMethod: logWithoutQueryValues },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    // Cookieless reads of pages the routes have cached are answered at the front door, before any routing.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (!options.answeredFirst(req, res)) handler(req, res);
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
  addRequestHooks(app, options);
  return app;
}

function addRequestHooks(app: FastifyInstance, options: HttpAppOptions): void {
  // Hooks that run for every request take a callback rather than returning a promise: one less per request.
  app.addHook("onRequest", (req, reply, done) => {
    reply.headers(options.headers);
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
  if (options.logsRequests) {
    app.addHook("onResponse", (req, reply, done) => {
      req.log.info(requestLine(req.raw, reply.statusCode, reply.elapsedTime), "request");
      done();
    });
  }
  // In-flight requests finish; new ones, the front door's too, get Fastify's refusal while it closes.
  app.addHook("preClose", (done) => {
    options.onPreClose();
    done();
  });
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
