/** The one error family. The HTTP status lives on the class; `code` is stable, `message` is for people. */
export type ErrorDetails = {
  property?: string;
  help?: string;
  cause?: unknown;
  /** JSON answers only: more for the client to act on, in the error beside its code (an import's bad rows). */
  extra?: Record<string, unknown>;
  /** JSON answers only: sent beside `errors` (a save conflict's two versions). */
  alongside?: Record<string, unknown>;
};

export class AppError extends Error {
  readonly status: number = 500;
  readonly code: string;
  readonly property: string | undefined;
  readonly help: string | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly alongside: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.property = details.property;
    this.help = details.help;
    this.extra = details.extra;
    this.alongside = details.alongside;
  }
}

export class Invalid extends AppError {
  override readonly status = 400;
}
export class Unauthorized extends AppError {
  override readonly status = 401;
}
export class Forbidden extends AppError {
  override readonly status = 403;
}
export class NotFound extends AppError {
  override readonly status = 404;
}
export class MethodNotAllowed extends AppError {
  override readonly status = 405;
}
export class Conflict extends AppError {
  override readonly status = 409;
}
/** Was here and is no more, e.g. an expired preview link. */
export class Gone extends AppError {
  override readonly status = 410;
}
export class TooLarge extends AppError {
  override readonly status = 413;
}
/** Its message is written for people and shown; the error handler sends `retryAfterSeconds`, when set, as Retry-After. */
export class Unavailable extends AppError {
  override readonly status = 503;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, message: string, details: ErrorDetails & { retryAfterSeconds?: number } = {}) {
    super(code, message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
/**
 * Work refused so that the server keeps answering (load shedding: too much uncached work waiting, or the event
 * loop behind). Not a failure: nothing is logged, and pages get a plain page that needs nothing read.
 */
export class Overloaded extends Unavailable {}
/** The error handler sends `retryAfterSeconds` as the Retry-After header. */
export class TooManyRequests extends AppError {
  override readonly status = 429;
  readonly retryAfterSeconds: number;
  constructor(code: string, message: string, details: ErrorDetails & { retryAfterSeconds: number }) {
    super(code, message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
export class UnsupportedMediaType extends AppError {
  override readonly status = 415;
}
/** A client over its request rate (searches, the Content API): answered like Overloaded, cheaply and plainly. */
export class RateLimited extends TooManyRequests {}
