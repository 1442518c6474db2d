/**
 * An anonymous reader's meter: the month and the articles read in it, in a cookie signed with HMAC-SHA256.
 * A cookie that is not ours, or was edited, counts as a used-up meter; only clearing cookies gives a fresh one.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookieName } from "../shared/cookie.js";
import type { MeterTally } from "./decide-access.js";
import type { MeterPeriod } from "./meter-period.js";

export const METER_COOKIE = "bs_meter";

/** Articles are remembered by a 12-hex-digit prefix of their id: short, and collisions are harmless. */
const ARTICLE_KEY_LENGTH = 12;
const MONTH_SHAPE = /^\d{4}-\d{2}$/;
const KEY_SHAPE = /^[0-9a-f]{12}$/;
// A label in the MAC keeps a session cookie's signature from being valid here, and the reverse.
const MAC_LABEL = "broadsheet meter v1";

export type MeterState =
  | { kind: "fresh" }
  | { kind: "counting"; month: string; reads: readonly string[] }
  | { kind: "forged" };

export function readMeterCookie(value: string | undefined, secret: string): MeterState {
  if (!value) return { kind: "fresh" };
  const [payload, signature, ...rest] = value.split(".");
  if (!payload || !signature || rest.length > 0) return { kind: "forged" };
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { kind: "forged" };
  const [month, ...reads] = payload.split("~");
  if (!month || !MONTH_SHAPE.test(month) || !reads.every((r) => KEY_SHAPE.test(r))) return { kind: "forged" };
  return { kind: "counting", month, reads };
}

/** This month's tally for one article; a forged meter is used up, a meter from last month starts again. */
export function tallyOf(state: MeterState, period: MeterPeriod, articleId: string, allowance: number): MeterTally {
  const base = { allowance, renewsOn: period.renewsOn };
  if (state.kind === "forged") return { ...base, used: Number.POSITIVE_INFINITY, alreadyCounted: false };
  const reads = state.kind === "counting" && state.month === period.month ? state.reads : [];
  return { ...base, used: reads.length, alreadyCounted: reads.includes(articleKey(articleId)) };
}

/** The cookie value after counting a read of `articleId` this month. */
export function countRead(state: MeterState, period: MeterPeriod, articleId: string, secret: string): string {
  const reads = state.kind === "counting" && state.month === period.month ? state.reads : [];
  const payload = [period.month, ...reads, articleKey(articleId)].join("~");
  return `${payload}.${mac(payload, secret)}`;
}

export function meterCookieHeader(value: string, options: { secure: boolean }): string {
  // Kept a little past the month's end; a cookie from last month simply starts a fresh count.
  const name = cookieName(METER_COOKIE, options.secure);
  const attributes = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${40 * 86_400}`];
  if (options.secure) attributes.push("Secure");
  return attributes.join("; ");
}

function articleKey(articleId: string): string {
  return articleId.replace(/-/g, "").slice(0, ARTICLE_KEY_LENGTH);
}

function mac(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(`${MAC_LABEL}.${payload}`).digest("base64url");
}
