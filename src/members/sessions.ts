/**
 * Reading and issuing sessions. A fresh claim is trusted without the database; a claim past its short lifetime
 * is renewed only if the member still exists with the same session version ("sign out everywhere" bumps it).
 */
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { readCookie } from "../shared/cookie.js";
import { entitlementOf, type MemberChanges } from "./entitlements.js";
import { findMemberById, type Member } from "./queries.js";
import {
  CLAIM_LIFETIME_MS,
  decodeSession,
  encodeSession,
  RENEWAL_WINDOW_MS,
  SESSION_COOKIE,
  type Session,
  setCookieHeader,
} from "./session-cookie.js";

export type SessionDeps = {
  db: Db;
  clock: Clock;
  sessionSecret: string;
  publicUrl: string;
  memberChanges: MemberChanges;
};

/** The reader behind a request, and the Set-Cookie header to send when the cookie was renewed or dropped. */
export type ReaderSession = { session: Session | undefined; setCookie: string | undefined };

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
  return session && isTrusted(deps, session) ? session : undefined;
}

/** For page views: no query while the claim is fresh; one query to renew it once it is stale. */
export async function readSession(deps: SessionDeps, cookieHeader: string | undefined): Promise<ReaderSession> {
  const value = readCookie(cookieHeader, SESSION_COOKIE);
  if (!value) return { session: undefined, setCookie: undefined };
  const session = decodeSession(value, deps.sessionSecret);
  const now = deps.clock.now().getTime();
  if (session && isTrusted(deps, session)) return { session, setCookie: undefined };
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
  return { member, setCookie: isTrusted(deps, session) ? undefined : startSession(deps, member) };
}

/** A claim is trusted until it expires, or until the member's entitlement changed after it was issued. */
function isTrusted(deps: Pick<SessionDeps, "clock" | "memberChanges">, session: Session): boolean {
  return (
    deps.clock.now().getTime() < session.expiresAt &&
    !deps.memberChanges.changedSince(session.memberId, session.issuedAt)
  );
}

async function renew(deps: SessionDeps, session: Session): Promise<ReaderSession | undefined> {
  const member = await findMemberById(deps.db, session.memberId);
  if (!member || member.sessionVersion !== session.sessionVersion) return undefined;
  return issueSession(deps, member);
}

function issueSession(deps: SessionDeps, member: Member): { session: Session; setCookie: string } {
  const now = deps.clock.now();
  const issuedAt = now.getTime();
  const { entitlement, endsAt } = entitlementOf(member, now);
  const session: Session = {
    memberId: member.id,
    sessionVersion: member.sessionVersion,
    entitlement,
    issuedAt,
    // Paid access that ends sooner than the claim ends the claim with it, so the renewal sees the change.
    expiresAt: Math.min(issuedAt + CLAIM_LIFETIME_MS, endsAt ?? Number.POSITIVE_INFINITY),
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
