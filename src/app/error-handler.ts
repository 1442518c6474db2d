/**
 * The one error path: routes throw the errors of shared/errors.ts, and this handler answers them per surface —
 * Ghost's `errors[]` for the Content API, the JSON envelope for the other APIs, the site's HTML page otherwise.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { cachePolicyHeaders } from "../cache/index.js";
import { databaseUnavailable } from "../db/index.js";
import { GHOST_ERROR_HEADERS, type JsonError, toGhostError } from "../ghost-api/index.js";
import {
  AppError,
  Invalid,
  NotFound,
  Overloaded,
  RateLimited,
  TooManyRequests,
  Unavailable,
} from "../shared/errors.js";
import type { ErrorPageInput } from "../site/index.js";

const JSON_PREFIXES = ["/admin/api/", "/ghost/api/", "/members/api/", "/webhooks/"];

export const isJsonRoute = (url: string) => JSON_PREFIXES.some((p) => url.startsWith(p));

/** A JSON route's error: `{ errors: [...] }`, in Ghost's shape and with Ghost's error headers on the Content API. */
export function errorEnvelope(reply: FastifyReply, status: number, error: JsonError) {
  // Ghost's clients read Ghost's class names from `type` (NotFoundError, UnauthorizedError…).
  if (!reply.request.url.startsWith("/ghost/api/")) return { errors: [error] };
  reply.headers(GHOST_ERROR_HEADERS);
  return { errors: [toGhostError(status, error)] };
}

export type ErrorPageRenderer = (input: ErrorPageInput, req?: FastifyRequest) => Promise<string>;

/** `errorPage()` is the site's renderer once its routes exist; errors before that (none expected) get plain text. */
export function handleErrors(app: FastifyInstance, errorPage: () => ErrorPageRenderer | undefined): void {
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
        ...appError.extra,
      };
      return reply
        .code(appError.status)
        .send({ ...errorEnvelope(reply, appError.status, body), ...appError.alongside });
    }
    const requestId = appError.status >= 500 && !isShed ? req.id : undefined;
    const input = { status: appError.status, message, requestId, isPlain: isShed };
    const html = await (errorPage()?.(input, req) ?? Promise.resolve(message)).catch(() => message);
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
