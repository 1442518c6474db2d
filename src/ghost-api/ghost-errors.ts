/** Errors as Ghost's clients read them: the JS client turns `type` into the thrown error's name. */
import { AppError } from "../shared/errors.js";

/** 422: a parameter Ghost rejects by value rather than by syntax (`limit=abc`, an unknown `formats`). */
export class Unprocessable extends AppError {
  override readonly status = 422;
}

/**
 * What every Content API error carries, wherever it is answered (a route, the router, the address check): never
 * kept by a cache, and readable by a browser on any site, as Ghost sends them.
 */
export const GHOST_ERROR_HEADERS = {
  "cache-control": "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0",
  "access-control-allow-origin": "*",
} as const;

/** The error envelope every JSON route sends. */
export type JsonError = {
  type: string;
  code: string;
  message: string;
  property: string | null;
  help: string | null;
  id: string;
};

const GHOST_ERROR_TYPES: Record<number, string> = {
  400: "BadRequestError",
  401: "UnauthorizedError",
  403: "NoPermissionError",
  404: "NotFoundError",
  405: "MethodNotAllowedError",
  406: "RequestNotAcceptableError",
  409: "UpdateCollisionError",
  413: "RequestEntityTooLargeError",
  422: "ValidationError",
  429: "TooManyRequestsError",
  503: "MaintenanceError",
};

/** The same error with Ghost's class name as `type` and every key Ghost's envelope has, unset ones null. */
export function toGhostError(status: number, error: JsonError) {
  return {
    message: error.message,
    context: null,
    type: GHOST_ERROR_TYPES[status] ?? (status >= 500 ? "InternalServerError" : "BadRequestError"),
    details: null,
    property: error.property,
    help: error.help,
    code: error.code,
    id: error.id,
    ghostErrorCode: null,
  };
}
