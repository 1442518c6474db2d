/**
 * Reading and issuing sessions. A fresh claim is trusted without the database; a claim past its short lifetime
 * is renewed only if the member still exists with the same session version ("sign out everywhere" bumps it).
 */
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { readCookie } from "../shared/cookie.js";
import { findMemberById, type Member } from "./queries.js";
import {
  CLAIM_LIFETIME_MS,
  decodeSession,
  type Entitlement,
  encodeSession,
  RENEWAL_WINDOW_MS,
  SESSION_COOKIE,
  type Session,
  setCookieHeader,
} from "./session-cookie.js";

export type SessionDeps = { db: Db; clock: Clock; sessionSecret: string; publicUrl: string };

/** The reader behind a request, and the Set-Cookie header to send when the cookie was renewed or dropped. */
export type ReaderSession = { session: Session | undefined; setCookie: string | undefined };

/** What the member may read now. Billing will add subscriber and complimentary here. */
function entitlementOf(_member: Member): Entitlement {
  return "registered";
}

/** The Set-Cookie header that signs `member` in on this browser, with a fresh claim. */
export function startSession(deps: SessionDeps, member: Member): string {
  return issueSession(deps, member).setCookie;
}

export function endSession(deps: Pick<SessionDeps, "publicUrl">): string {
  return setCookieHeader("", { secure: isSecure(deps), maxAgeSeconds: 0 });
}

/** The session a page view may trust without a query: signed by us and within its claim lifetime. */
export function peekSession(deps: Omit<SessionDeps, "db">, cookieHeader: string | undefined): Session | undefined {
  const session = decodeCookie(deps, cookieHeader);
  return session && deps.clock.now().getTime() < session.expiresAt ? session : undefined;
}

/** For page views: no query while the claim is fresh; one query to renew it once it is stale. */
export async function readSession(deps: SessionDeps, cookieHeader: string | undefined): Promise<ReaderSession> {
  const value = readCookie(cookieHeader, SESSION_COOKIE);
  if (!value) return { session: undefined, setCookie: undefined };
  const session = decodeSession(value, deps.sessionSecret);
  const now = deps.clock.now().getTime();
  if (session && now < session.expiresAt) return { session, setCookie: undefined };
  const renewed = session && now < session.issuedAt + RENEWAL_WINDOW_MS ? await renew(deps, session) : undefined;
  return renewed ?? { session: undefined, setCookie: endSession(deps) };
}

/** For pages that read the member anyway (the account page): the member, checked against the database. */
export async function findSignedInMember(
  deps: SessionDeps,
  cookieHeader: string | undefined,
): Promise<{ member: Member; setCookie: string | undefined } | undefined> {
  const session = decodeCookie(deps, cookieHeader);
  if (!session || deps.clock.now().getTime() >= session.issuedAt + RENEWAL_WINDOW_MS) return undefined;
  const member = await findMemberById(deps.db, session.memberId);
  if (!member || member.sessionVersion !== session.sessionVersion) return undefined;
  const isFresh = deps.clock.now().getTime() < session.expiresAt;
  return { member, setCookie: isFresh ? undefined : startSession(deps, member) };
}

async function renew(deps: SessionDeps, session: Session): Promise<ReaderSession | undefined> {
  const member = await findMemberById(deps.db, session.memberId);
  if (!member || member.sessionVersion !== session.sessionVersion) return undefined;
  return issueSession(deps, member);
}

function issueSession(deps: SessionDeps, member: Member): { session: Session; setCookie: string } {
  const issuedAt = deps.clock.now().getTime();
  const session: Session = {
    memberId: member.id,
    sessionVersion: member.sessionVersion,
    entitlement: entitlementOf(member),
    issuedAt,
    expiresAt: issuedAt + CLAIM_LIFETIME_MS,
  };
  const setCookie = setCookieHeader(encodeSession(session, deps.sessionSecret), {
    secure: isSecure(deps),
    maxAgeSeconds: RENEWAL_WINDOW_MS / 1000,
  });
  return { session, setCookie };
}

function decodeCookie(deps: { sessionSecret: string }, cookieHeader: string | undefined): Session | undefined {
  const value = readCookie(cookieHeader, SESSION_COOKIE);
  return value ? decodeSession(value, deps.sessionSecret) : undefined;
}

function isSecure(deps: Pick<SessionDeps, "publicUrl">): boolean {
  return deps.publicUrl.startsWith("https:");
}
