/**
 * Signed preview tokens: "show article X, in any status, as reader class Y, until T". HMAC-SHA256 with the
 * session secret, as the meter cookie signs; the newsroom makes them, the reader site checks them.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const PREVIEW_AUDIENCES = ["anonymous", "subscriber"] as const;
export type PreviewAudience = (typeof PREVIEW_AUDIENCES)[number];

export type PreviewClaim = { articleId: string; audience: PreviewAudience; expiresAt: Date };
export type PreviewCheck = { kind: "valid"; claim: PreviewClaim } | { kind: "expired" } | { kind: "invalid" };

// A label in the MAC keeps a meter or session signature from being valid here, and the reverse.
const MAC_LABEL = "broadsheet preview v1";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECONDS = /^[0-9]{1,12}$/;

export function signPreviewToken(claim: PreviewClaim, secret: string): string {
  const payload = [claim.articleId, claim.audience, Math.floor(claim.expiresAt.getTime() / 1000)].join(".");
  return `${payload}.${mac(payload, secret)}`;
}

/** Checks the signature before anything else, so an edited expiry or audience is "invalid", never "expired". */
export function readPreviewToken(token: string, secret: string, now: Date): PreviewCheck {
  const parts = token.split(".");
  if (parts.length !== 4) return { kind: "invalid" };
  const [articleId = "", audience = "", seconds = "", signature = ""] = parts;
  const expected = Buffer.from(mac(`${articleId}.${audience}.${seconds}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: "invalid" };
  if (!UUID.test(articleId) || !SECONDS.test(seconds) || !isAudience(audience)) return { kind: "invalid" };
  const expiresAt = new Date(Number(seconds) * 1000);
  if (expiresAt <= now) return { kind: "expired" };
  return { kind: "valid", claim: { articleId, audience, expiresAt } };
}

function isAudience(value: string): value is PreviewAudience {
  return (PREVIEW_AUDIENCES as readonly string[]).includes(value);
}

function mac(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`${MAC_LABEL}.${payload}`).digest("base64url");
}
