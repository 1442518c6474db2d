/**
 * The tokens of newsletter links, signed with HMAC-SHA256 under the session secret: a sign-up's confirmation
 * (an address and a newsletter, for a day) and a reader's unsubscribe and preference links (a member and a
 * newsletter, without end: a link in a years-old email must still unsubscribe). A token is its JSON claim and
 * its signature, both base64url; any change to either is refused.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type LinkClaim =
  | { kind: "confirm"; email: string; newsletterId: string; expiresAt: number }
  | { kind: "manage"; memberId: string; newsletterId: string };

/** Long enough for a claim with a 254-character address; the routes refuse anything longer unread. */
export const MAX_TOKEN_LENGTH = 1000;
export const CONFIRM_VALID_HOURS = 24;

const sign = (secret: string, body: string) =>
  createHmac("sha256", `newsletter-link:${secret}`).update(body).digest("base64url");

export function signLink(secret: string, claim: LinkClaim): string {
  const body = Buffer.from(JSON.stringify(claim)).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The claim, when the signature is ours and the claim whole and unexpired; undefined otherwise. */
export function readLink(secret: string, token: string, now: Date): LinkClaim | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claim: unknown;
  try {
    claim = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  return isClaim(claim) && !(claim.kind === "confirm" && claim.expiresAt <= now.getTime()) ? claim : undefined;
}

function isClaim(value: unknown): value is LinkClaim {
  const c = value as Record<string, unknown> | null;
  if (!c || typeof c !== "object" || typeof c.newsletterId !== "string") return false;
  if (c.kind === "confirm") return typeof c.email === "string" && typeof c.expiresAt === "number";
  return c.kind === "manage" && typeof c.memberId === "string";
}
