/**
 * Answers decided from the request's cookies alone: who reads (nobody signed in, or a member whose signed claim
 * is fresh), what the paywall gives them on an article (an anonymous reader's meter is their signed cookie), and
 * the page cache's key for it. The article route asks first, and the routes leave the same decision at the front
 * door for the address, so a metered read, a returning reader's or a subscriber's read of a cached page needs
 * neither the router nor the database. Undefined when only the routes can tell: a newsroom session, a claim to
 * renew, a signed-in member's meter (kept on the server), or any cookie it does not know.
 */
import type { IncomingMessage } from "node:http";
import type { FastifyRequest } from "fastify";
import type { DecidedAnswer, PageCache } from "../cache/index.js";
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
  const reader = readerFromCookies(deps, input.cookieHeader);
  if (!reader) return undefined;
  const { signedIn } = reader;
  const decision = decideAccess(reader.reader, input.article);
  if (decision.kind !== "metered") {
    return { cacheClass: reader.cacheClass, outcome: unmeteredOutcome(decision), personal: signedIn };
  }
  if (signedIn) return undefined;
  return { cacheClass: "anon", personal: true, ...anonymousMeter(deps, { ...input, ask: decision.ask }) };
}

/** The reader a request's cookies name, when they are only a meter and a session whose claim is fresh. */
function readerFromCookies(
  deps: CookieReaderDeps,
  cookieHeader: string | undefined,
): { reader: Reader; cacheClass: ReaderClass; signedIn: boolean } | undefined {
  const secure = deps.publicUrl.startsWith("https:");
  const sessionCookie = cookieName(members.SESSION_COOKIE, secure);
  if (!onlyCookiesNamed(cookieHeader, [cookieName(METER_COOKIE, secure), sessionCookie])) return undefined;
  if (readCookie(cookieHeader, sessionCookie) === undefined) {
    return { reader: { kind: "anonymous" }, cacheClass: "anon", signedIn: false };
  }
  const session = members.peekSession(deps, cookieHeader);
  return session && { ...readerForSession(session), signedIn: true };
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

/**
 * An answer's own headers when it adds none. One shared object, as PERSONAL_HEADERS is, so the front door makes
 * each such answer once rather than per request.
 */
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** The front door's answerer for an article's address: the same decision, as the answer's key and headers. */
export function articleAnswerer(
  deps: CookieReaderDeps,
  input: {
    article: ArticleAtAddress;
    settings: MeterSettings;
    countView: (req: IncomingMessage, isWall: boolean) => void;
  },
): (req: IncomingMessage) => DecidedAnswer | undefined {
  const { article, settings, countView } = input;
  return (req) => {
    const isRead = req.method !== "HEAD";
    const decided = decideFromCookies(deps, { cookieHeader: req.headers.cookie, isRead, article, settings });
    if (!decided) return undefined;
    const shared = decided.personal ? PERSONAL_HEADERS : NO_HEADERS;
    const headers = decided.setCookie ? { ...shared, "set-cookie": decided.setCookie } : shared;
    return {
      key: articlePageKey(decided.cacheClass, decided.outcome, article.path),
      headers,
      onRepeat: (repeated) => countView(repeated, decided.outcome.kind === "preview"),
    };
  };
}

/** The front door's answerer for a page that differs only by reader class (the front page, a listing). */
function classPageAnswerer(
  deps: CookieReaderDeps,
  keyFor: (cacheClass: ReaderClass) => string,
): (req: IncomingMessage) => DecidedAnswer | undefined {
  return (req) => {
    const reader = readerFromCookies(deps, req.headers.cookie);
    return reader && { key: keyFor(reader.cacheClass), headers: reader.signedIn ? PERSONAL_HEADERS : NO_HEADERS };
  };
}

export type RememberClassPage = (req: FastifyRequest, keyFor: (cacheClass: ReaderClass) => string) => void;

/**
 * The next read of this address, with a meter or a fresh session cookie, is decided at the front door by reader
 * class alone. It is answered there only once a page is cached at the class's key, which only a 200 for this
 * address puts there, so it may be left before the route knows whether the address exists.
 */
export function classPageRememberer(deps: { cache: PageCache; members: CookieReaderDeps }): RememberClassPage {
  return (req, keyFor) =>
    deps.cache.rememberAnswerer(req.raw.url ?? "", classPageAnswerer(deps.members, keyFor), deps.cache.ticket());
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
