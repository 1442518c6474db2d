/**
 * An article's answer decided from the request's cookies alone: who reads (nobody signed in, or a member whose
 * signed claim is fresh), what the paywall gives them (an anonymous reader's meter is their signed cookie), and
 * the page cache's key for that outcome. The article route asks it first, and leaves it at the front door for
 * the address, so a metered read or a subscriber's read of a cached page needs neither the router nor the
 * database. It answers undefined when only the routes can tell: a newsroom session, a claim to renew, a signed-in
 * member's meter (kept on the server), or any cookie it does not know.
 */
import type { IncomingMessage } from "node:http";
import type { DecidedAnswer } from "../cache/index.js";
import type { SiteSettings } from "../content/index.js";
import * as members from "../members/index.js";
import {
  type AccessOutcome,
  type ArticleAccess,
  type Ask,
  countRead,
  decideAccess,
  METER_COOKIE,
  meterCookieHeader,
  meteredOutcome,
  meterPeriod,
  outcomeKey,
  type Reader,
  readMeterCookie,
  tallyOf,
  unmeteredOutcome,
} from "../paywall/index.js";
import { cookieName, readCookie } from "../shared/cookie.js";
import { PERSONAL_HEADERS, readerForSession } from "./reader.js";
import type { ReaderClass } from "./views/frame.js";

export type CookieReaderDeps = Omit<members.SessionDeps, "db" | "invalidate">;

/** What deciding needs of an article and of the settings: no text, so an answerer keeps no page alive. */
export type ArticleAtAddress = ArticleAccess & { id: string; path: string };
export type MeterSettings = Pick<SiteSettings, "anonymousAllowance" | "timeZone">;

export type CookieDecision = {
  cacheClass: ReaderClass;
  outcome: AccessOutcome;
  /** The answer depends on the reader's cookie: no shared cache may keep it. */
  personal: boolean;
  /** The meter cookie counting this read. */
  setCookie?: string | undefined;
};

export function articlePageKey(cacheClass: ReaderClass, outcome: AccessOutcome, path: string): string {
  return `${cacheClass}:${outcomeKey(outcome)}:${path}`;
}

export function decideFromCookies(
  deps: CookieReaderDeps,
  input: { cookieHeader: string | undefined; isRead: boolean; article: ArticleAtAddress; settings: MeterSettings },
): CookieDecision | undefined {
  const secure = deps.publicUrl.startsWith("https:");
  const { cookieHeader } = input;
  if (!onlyCookiesNamed(cookieHeader, [cookieName(METER_COOKIE, secure), cookieName(members.SESSION_COOKIE, secure)]))
    return undefined;
  let reader: { reader: Reader; cacheClass: ReaderClass } = { reader: { kind: "anonymous" }, cacheClass: "anon" };
  const signedIn = readCookie(cookieHeader, cookieName(members.SESSION_COOKIE, secure)) !== undefined;
  if (signedIn) {
    const session = members.peekSession(deps, cookieHeader);
    if (!session) return undefined;
    reader = readerForSession(session);
  }
  const decision = decideAccess(reader.reader, input.article);
  if (decision.kind !== "metered") {
    return { cacheClass: reader.cacheClass, outcome: unmeteredOutcome(decision), personal: signedIn };
  }
  if (signedIn) return undefined;
  return { cacheClass: "anon", personal: true, ...anonymousMeter(deps, { ...input, ask: decision.ask }) };
}

/** A metered read without a session: the signed cookie is the meter, and a new read is counted in a new one. */
export function anonymousMeter(
  deps: Pick<CookieReaderDeps, "clock" | "sessionSecret" | "publicUrl">,
  input: {
    cookieHeader: string | undefined;
    isRead: boolean;
    article: { id: string };
    settings: MeterSettings;
    ask: Ask;
  },
): { outcome: AccessOutcome; setCookie: string | undefined } {
  const secure = deps.publicUrl.startsWith("https:");
  const period = meterPeriod(deps.clock.now(), input.settings.timeZone);
  const state = readMeterCookie(readCookie(input.cookieHeader, cookieName(METER_COOKIE, secure)), deps.sessionSecret);
  const tally = tallyOf(state, period, input.article.id, input.settings.anonymousAllowance);
  const { outcome, counts } = meteredOutcome(input.ask, tally);
  if (!counts || !input.isRead) return { outcome, setCookie: undefined };
  const value = countRead(state, period, input.article.id, deps.sessionSecret);
  return { outcome, setCookie: meterCookieHeader(value, { secure }) };
}

/** The front door's answerer for an article's address: the same decision, as the answer's key and headers. */
export function articleAnswerer(
  deps: CookieReaderDeps,
  input: { article: ArticleAtAddress; settings: MeterSettings; countWallView: () => void },
): (req: IncomingMessage) => DecidedAnswer | undefined {
  const { article, settings, countWallView } = input;
  return (req) => {
    const isRead = req.method !== "HEAD";
    const decided = decideFromCookies(deps, { cookieHeader: req.headers.cookie, isRead, article, settings });
    if (!decided) return undefined;
    const headers: Record<string, string> = decided.personal ? { ...PERSONAL_HEADERS } : {};
    if (decided.setCookie) headers["set-cookie"] = decided.setCookie;
    return {
      key: articlePageKey(decided.cacheClass, decided.outcome, article.path),
      headers,
      onRepeat: decided.outcome.kind === "preview" ? countWallView : undefined,
    };
  };
}

/** True when every cookie in the header is one of `names` (or there is none). */
function onlyCookiesNamed(header: string | undefined, names: readonly string[]): boolean {
  if (!header) return true;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name !== "" && !names.includes(name)) return false;
  }
  return true;
}
