/** What every /admin/api route passes first: the CSRF check, JSON bodies only, and who is signed in. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type * as content from "../content/index.js";
import { isCrossSiteRequest } from "../shared/cross-site.js";
import { Forbidden, Unauthorized, UnsupportedMediaType } from "../shared/errors.js";
import { findSessionStaff, type StaffSessionDeps } from "./accounts/staff-sessions.js";
import { type Action, type Actor, type BylineChange, can, decideByline } from "./policy.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in staff member on authenticated /admin/api routes; null elsewhere. */
    staff: content.StaffMember | null;
    staffSessionHash: string | null;
  }
}

const header = (req: FastifyRequest, name: string) => {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
};

/** Throws 403 when another site's page sent this request (CSRF); see shared/cross-site.ts. */
export function rejectCrossSite(req: FastifyRequest, publicUrl: string): void {
  const origin = {
    secFetchSite: header(req, "sec-fetch-site"),
    origin: header(req, "origin"),
    host: header(req, "host"),
  };
  if (isCrossSiteRequest(origin, publicUrl)) {
    throw new Forbidden("CROSS_SITE_REQUEST", "This request came from another website, so it was not accepted");
  }
}

/** The route config of the one route that takes a file (multipart/form-data) instead of JSON. */
export const UPLOAD_ROUTE = { acceptsUpload: true };

function acceptsUpload(req: FastifyRequest): boolean {
  return (req.routeOptions.config as Partial<typeof UPLOAD_ROUTE> | undefined)?.acceptsUpload === true;
}

/**
 * Refuses a state-changing request sent by another site's page, and any body but JSON: a cross-site page can
 * post a form or text/plain without asking, but JSON needs a CORS preflight this server never grants. An
 * upload route also takes multipart/form-data; the cross-site check and the SameSite=Lax cookie guard it.
 */
export function guardMutations(api: FastifyInstance, publicUrl: string): void {
  api.addHook("onRequest", async (req) => {
    if (req.method === "GET" || req.method === "HEAD") return;
    rejectCrossSite(req, publicUrl);
    const type = header(req, "content-type")?.split(";")[0]?.trim().toLowerCase();
    if (type === "multipart/form-data" && acceptsUpload(req)) return;
    if (req.method !== "DELETE" && type !== "application/json") {
      throw new UnsupportedMediaType("JSON_REQUIRED", "Send the request body as JSON", {
        help: "Set Content-Type: application/json",
      });
    }
  });
}

/** Every route registered on `api` after this answers 401 unless a staff session cookie comes with it. */
export function requireStaff(api: FastifyInstance, deps: Pick<StaffSessionDeps, "db" | "clock" | "publicUrl">): void {
  api.decorateRequest("staff", null);
  api.decorateRequest("staffSessionHash", null);
  // onRequest: an anonymous request is turned away before its body is even read.
  api.addHook("onRequest", async (req) => {
    const found = await findSessionStaff(deps, req.headers.cookie);
    if (!found) throw new Unauthorized("SIGN_IN_REQUIRED", "Sign in to the newsroom first");
    req.staff = found.staff;
    req.staffSessionHash = found.sessionHash;
  });
}

/** The signed-in staff member; only for routes behind requireStaff. */
export function actorOf(req: FastifyRequest): content.StaffMember {
  if (!req.staff) throw new Unauthorized("SIGN_IN_REQUIRED", "Sign in to the newsroom first");
  return req.staff;
}

/** Throws 403 unless the policy allows `action`. */
export function authorize<A extends Action>(actor: Actor, action: A, resource: Parameters<typeof can<A>>[2]): void {
  if (!can(actor, action, resource)) {
    throw new Forbidden("NOT_ALLOWED", `Your role (${actor.role}) may not do this`, {
      help: "Ask an editor or an admin",
    });
  }
}

/** Throws 403, naming what was refused, unless the policy lets `actor` change the byline this way. */
export function authorizeByline(actor: Actor, change: BylineChange): void {
  const decision = decideByline(actor, change);
  if (decision.kind === "refused") {
    throw new Forbidden(decision.code, decision.message, {
      property: "authorIds",
      help: "Ask an editor to change who the article is credited to",
    });
  }
}
