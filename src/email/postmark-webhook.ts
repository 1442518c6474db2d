/**
 * POST /webhooks/postmark: Postmark's bounce and spam-complaint webhooks. Postmark authenticates its webhooks with
 * the HTTP basic-auth user and password written into the webhook's URL in its settings; they are compared here in
 * constant time with POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD, before the body is read. A hard bounce
 * or a complaint puts the address on the suppression list; a soft bounce (a full mailbox, a delay) does not.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Queryable } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { Forbidden, Invalid, Unauthorized, UnsupportedMediaType } from "../shared/errors.js";
import { type SuppressionReason, suppressAddress } from "./suppressions.js";

export type PostmarkCredentials = { user: string; password: string };

/** Bounce types that mean the address will never take mail (Postmark deactivates it too). */
const HARD_BOUNCE_TYPES = new Set(["HardBounce", "BadEmailAddress"]);
const BODY_LIMIT = 256 * 1024;
const EMAIL_MAX = 320;

const digest = (s: string) => createHash("sha256").update(s).digest();

/** True when the Authorization header carries these credentials; hashed first, so lengths leak nothing. */
export function hasPostmarkCredentials(header: string | undefined, expected: PostmarkCredentials): boolean {
  const match = /^Basic ([A-Za-z0-9+/=]{1,1024})$/i.exec(header?.trim() ?? "");
  if (!match) return false;
  const decoded = Buffer.from(match[1] ?? "", "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(expected.password));
  return userOk && passwordOk;
}

export type PostmarkEvent =
  | { kind: "suppress"; email: string; reason: SuppressionReason; detail: string }
  | { kind: "ignore"; why: string };

const field = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * Reads one delivery: `RecordType` `Bounce` (with `Type`, e.g. `HardBounce`, `SoftBounce`, `Transient`) or
 * `SpamComplaint`, each naming the address in `Email`. Other record types (deliveries, opens) are ignored.
 */
export function readPostmarkEvent(body: unknown): PostmarkEvent {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new Invalid("INVALID_WEBHOOK", "The body is not a Postmark webhook (a JSON object).");
  }
  const record = body as Record<string, unknown>;
  const recordType = field(record, "RecordType");
  if (!recordType) throw new Invalid("INVALID_WEBHOOK", "RecordType is missing.", { property: "RecordType" });
  if (recordType !== "Bounce" && recordType !== "SpamComplaint") {
    return { kind: "ignore", why: `${recordType.slice(0, 40)} records change nothing here` };
  }
  const email = field(record, "Email")?.trim();
  if (!email || email.length > EMAIL_MAX || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new Invalid("INVALID_WEBHOOK", "Email is not an address.", { property: "Email" });
  }
  const type = field(record, "Type");
  if (!type) throw new Invalid("INVALID_WEBHOOK", "Type is missing.", { property: "Type" });
  if (typeof record.ID !== "number") throw new Invalid("INVALID_WEBHOOK", "ID is not a number.", { property: "ID" });
  const said = [type, field(record, "Description"), field(record, "Details")].filter(Boolean).join(": ");
  if (recordType === "SpamComplaint" || type === "SpamComplaint") {
    return { kind: "suppress", email, reason: "complaint", detail: said };
  }
  if (HARD_BOUNCE_TYPES.has(type)) return { kind: "suppress", email, reason: "hard_bounce", detail: said };
  return { kind: "ignore", why: `a ${type.slice(0, 40)} bounce is not permanent` };
}

export async function postmarkWebhookRoutes(
  app: FastifyInstance,
  deps: { db: Queryable; clock: Clock; credentials: PostmarkCredentials | undefined },
): Promise<void> {
  await app.register(async (scope) => {
    // Credentials first: nothing of the body is read for a caller who is not Postmark.
    scope.addHook("onRequest", async (req) => {
      if (!deps.credentials) {
        throw new Forbidden("WEBHOOK_NOT_CONFIGURED", "Postmark webhooks are not set up on this server.");
      }
      if (!hasPostmarkCredentials(req.headers.authorization, deps.credentials)) {
        throw new Unauthorized("BAD_CREDENTIALS", "The webhook's credentials are wrong.");
      }
      const type = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
      if (type !== "application/json") {
        throw new UnsupportedMediaType("UNSUPPORTED_MEDIA_TYPE", "Postmark webhooks are sent as application/json.");
      }
    });
    scope.post("/webhooks/postmark", { bodyLimit: BODY_LIMIT }, async (req, reply) => {
      const event = readPostmarkEvent(req.body);
      if (event.kind === "ignore") return reply.code(200).send({ received: true, result: event.why });
      const added = await suppressAddress(deps.db, {
        address: event.email,
        reason: event.reason,
        source: "postmark",
        detail: event.detail,
        at: deps.clock.now(),
      });
      return reply.code(200).send({ received: true, result: added ? "suppressed" : "already suppressed" });
    });
  });
}
