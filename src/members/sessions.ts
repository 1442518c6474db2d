/**
 * Reading, opening and ending sessions. A fresh claim is trusted without the database; a claim past its short
 * lifetime is renewed only while its session's row exists. Signing out deletes the row, and tells every process
 * (through the member change log) to stop trusting the member's claims without asking.
 */
import { and, eq, gt, lt } from "drizzle-orm";
import type { Db, Queryable } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { cookieName, readCookie } from "../shared/cookie.js";
import { entitlementOf, type MemberChanges, memberTag } from "./entitlements.js";
import type { Member } from "./queries.js";
import { memberSessions, members } from "./schema.js";
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
  /** Sends invalidation tags to every process (the page cache's channel); sign-outs send the member's tag. */
  invalidate(tags: readonly string[]): Promise<void>;
};

/** The reader behind a request, and the Set-Cookie header to send when the cookie was renewed or dropped. */
export type ReaderSession = { session: Session | undefined; setCookie: string | undefined };

/** A member whose session was checked against the database just now. */
export type SignedInMember = {
  member: Member;
  sessionId: string;
  /** When the link that opened this session was used. */
  signedInAt: Date;
  /** A renewed claim to send, when the cookie's was stale. */
  setCookie: string | undefined;
};

// A session's `renewed_at` is written at most this often, so renewing a claim is usually a read.
const RENEWED_AT_PRECISION_MS = 86_400_000;

/**
 * Opens a session for `member` in this browser, in the caller's transaction, and returns its Set-Cookie header.
 * The session the browser held before, if any, ends; its member id is returned so the caller can announce it.
 */
export async function openSession(
  deps: Pick<SessionDeps, "clock" | "sessionSecret" | "publicUrl">,
  db: Queryable,
  input: { member: Member; cookieHeader: string | undefined },
): Promise<{ setCookie: string; endedFor: string | undefined }> {
  const now = deps.clock.now();
  await db.delete(memberSessions).where(lt(memberSessions.renewedAt, windowStart(now)));
  const previous = decodeCookie(deps, input.cookieHeader);
  const ended = previous
    ? await db
        .delete(memberSessions)
        .where(eq(memberSessions.id, previous.sessionId))
        .returning({ memberId: memberSessions.memberId })
    : [];
  const [row] = await db
    .insert(memberSessions)
    .values({ memberId: input.member.id, signedInAt: now, renewedAt: now })
    .returning({ id: memberSessions.id });
  if (!row) throw new Error("member session was not created");
  return { setCookie: issueClaim(deps, input.member, row.id).setCookie, endedFor: ended[0]?.memberId };
}

/** A new claim for a session just checked (after checkout, say, so the next page reads the new entitlement). */
export function refreshClaim(deps: SessionDeps, signedIn: Pick<SignedInMember, "member" | "sessionId">): string {
  return issueClaim(deps, signedIn.member, signedIn.sessionId).setCookie;
}

/** The Set-Cookie header that makes the browser forget its session cookie; the session itself is left alone. */
export function clearSessionCookie(deps: Pick<SessionDeps, "publicUrl">): string {
  return setCookieHeader("", { secure: isSecure(deps), maxAgeSeconds: 0 });
}

/**
 * Signs this browser out: the session named by the cookie is deleted, so a copy of the cookie is refused by the
 * account pages at once and by page views no later than its claim's end. Returns the Set-Cookie header to send.
 */
export async function endSession(deps: SessionDeps, cookieHeader: string | undefined): Promise<string> {
  const session = decodeCookie(deps, cookieHeader);
  if (session) {
    const ended = await deps.db
      .delete(memberSessions)
      .where(and(eq(memberSessions.id, session.sessionId), eq(memberSessions.memberId, session.memberId)))
      .returning({ id: memberSessions.id });
    if (ended.length > 0) await deps.invalidate([memberTag(session.memberId)]);
  }
  return clearSessionCookie(deps);
}

/** Every session of the member ends: each browser is refused as `endSession` refuses one. */
export async function signOutEverywhere(deps: Pick<SessionDeps, "db" | "invalidate">, memberId: string): Promise<void> {
  await endAllSessions(deps.db, memberId);
  await deps.invalidate([memberTag(memberId)]);
}

/** `signOutEverywhere` inside a caller's transaction; the caller sends the member's tag after it commits. */
export async function endAllSessions(db: Queryable, memberId: string): Promise<void> {
  await db.delete(memberSessions).where(eq(memberSessions.memberId, memberId));
}

/** The session a page view may trust without a query: signed by us and within its claim lifetime. */
export function peekSession(
  deps: Omit<SessionDeps, "db" | "invalidate">,
  cookieHeader: string | undefined,
): Session | undefined {
  const session = decodeCookie(deps, cookieHeader);
  return session && isTrusted(deps, session) ? session : undefined;
}

/** For page views: no query while the claim is fresh; one query to renew it once it is stale. */
export async function readSession(deps: SessionDeps, cookieHeader: string | undefined): Promise<ReaderSession> {
  const value = readCookie(cookieHeader, cookieName(SESSION_COOKIE, isSecure(deps)));
  if (!value) return { session: undefined, setCookie: undefined };
  const session = decodeSession(value, deps.sessionSecret);
  if (session && isTrusted(deps, session)) return { session, setCookie: undefined };
  const live = session ? await findLiveSession(deps, session) : undefined;
  if (!live) return { session: undefined, setCookie: clearSessionCookie(deps) };
  return issueClaim(deps, live.member, live.sessionId);
}

/**
 * For pages that show or change the member's own data (the account pages, billing): the session is checked
 * against the database on every request, however fresh its claim.
 */
export async function findSignedInMember(
  deps: SessionDeps,
  cookieHeader: string | undefined,
): Promise<SignedInMember | undefined> {
  const session = decodeCookie(deps, cookieHeader);
  const live = session ? await findLiveSession(deps, session) : undefined;
  if (!session || !live) return undefined;
  const setCookie = isTrusted(deps, session) ? undefined : issueClaim(deps, live.member, live.sessionId).setCookie;
  return { ...live, setCookie };
}

/** A claim is trusted until it expires, or until the member changed (or signed out) after it was issued. */
function isTrusted(deps: Pick<SessionDeps, "clock" | "memberChanges">, session: Session): boolean {
  return (
    deps.clock.now().getTime() < session.expiresAt &&
    !deps.memberChanges.changedSince(session.memberId, session.issuedAt)
  );
}

/** The claim's session, if it still exists and was used within the renewal window; notes that it was used. */
async function findLiveSession(
  deps: SessionDeps,
  session: Session,
): Promise<Omit<SignedInMember, "setCookie"> | undefined> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select({ member: members, signedInAt: memberSessions.signedInAt, renewedAt: memberSessions.renewedAt })
    .from(memberSessions)
    .innerJoin(members, eq(members.id, memberSessions.memberId))
    .where(
      and(
        eq(memberSessions.id, session.sessionId),
        eq(memberSessions.memberId, session.memberId),
        gt(memberSessions.renewedAt, windowStart(now)),
      ),
    );
  if (!row) return undefined;
  if (now.getTime() - row.renewedAt.getTime() >= RENEWED_AT_PRECISION_MS) {
    await deps.db.update(memberSessions).set({ renewedAt: now }).where(eq(memberSessions.id, session.sessionId));
  }
  return { member: row.member, sessionId: session.sessionId, signedInAt: row.signedInAt };
}

function issueClaim(
  deps: Pick<SessionDeps, "clock" | "sessionSecret" | "publicUrl">,
  member: Member,
  sessionId: string,
): { session: Session; setCookie: string } {
  const now = deps.clock.now();
  const issuedAt = now.getTime();
  const { entitlement, endsAt } = entitlementOf(member, now);
  const session: Session = {
    sessionId,
    memberId: member.id,
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

function windowStart(now: Date): Date {
  return new Date(now.getTime() - RENEWAL_WINDOW_MS);
}

function decodeCookie(
  deps: Pick<SessionDeps, "sessionSecret" | "publicUrl">,
  cookieHeader: string | undefined,
): Session | undefined {
  const value = readCookie(cookieHeader, cookieName(SESSION_COOKIE, isSecure(deps)));
  return value ? decodeSession(value, deps.sessionSecret) : undefined;
}

function isSecure(deps: Pick<SessionDeps, "publicUrl">): boolean {
  return deps.publicUrl.startsWith("https:");
}
