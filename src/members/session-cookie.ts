/**
 * The session cookie: a claim about the reader, signed with HMAC-SHA256 so that page views trust it without the
 * database while it is fresh. It names its session's row, which the database is asked about once it is stale.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { LRUCache } from "lru-cache";
import { cookieName } from "../shared/cookie.js";
import { ENTITLEMENTS } from "./entitlements.js";

export const SESSION_COOKIE = "bs_session";

const Uuid = Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" });

const SessionClaim = Type.Object(
  {
    sessionId: Uuid,
    memberId: Uuid,
    entitlement: Type.Union(ENTITLEMENTS.map((e) => Type.Literal(e))),
    issuedAt: Type.Integer(),
    expiresAt: Type.Integer(),
  },
  { additionalProperties: false },
);

/** Times are epoch milliseconds. Past `expiresAt` the claim is renewed against the database before use. */
export type Session = Static<typeof SessionClaim>;

/**
 * How long a claim is believed without asking the database: the longest a signed-out session's copy keeps its
 * reader class on pages in a process that did not hear of the sign-out. Sign-outs and entitlement changes
 * normally reach every process at once, through the member change log.
 */
export const CLAIM_LIFETIME_MS = 5 * 60_000;
/** How long a session may sit unused and still be renewed: readers who come back within 30 days stay signed in. */
export const RENEWAL_WINDOW_MS = 30 * 86_400_000;

// A label in the MAC keeps this cookie's signatures from being valid for any other signed value.
const MAC_LABEL = "broadsheet session v1";

export function encodeSession(session: Session, secret: string): string {
  const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
  return `${payload}.${mac(payload, secret)}`;
}

/**
 * Cookie values already checked, with the secret that checked them: a signed-in reader sends the same value on
 * every page until the claim is renewed, and the MAC and the shape check were a tenth of the cached page's CPU.
 * Only values whose signature was ours are kept, so made-up cookies cannot fill it.
 */
const checkedClaims = new LRUCache<string, { secret: string; session: Readonly<Session> }>({ max: 10_000 });

/** The claim in a cookie value, if its signature is ours and its shape is right; times are not checked here. */
export function decodeSession(value: string, secret: string): Session | undefined {
  const checked = checkedClaims.get(value);
  if (checked?.secret === secret) return checked.session;
  const session = verifyClaim(value, secret);
  if (session) checkedClaims.set(value, { secret, session: Object.freeze(session) });
  return session;
}

function verifyClaim(value: string, secret: string): Session | undefined {
  const [payload, signature, ...rest] = value.split(".");
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claim: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return Value.Check(SessionClaim, claim) ? claim : undefined;
  } catch {
    return undefined;
  }
}

export function setCookieHeader(value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  const attributes = [`${cookieName(SESSION_COOKIE, options.secure)}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  attributes.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) attributes.push("Secure");
  return attributes.join("; ");
}

function mac(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`${MAC_LABEL}.${payload}`).digest("base64url");
}
