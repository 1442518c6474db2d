/** Server-side newsroom sessions: the cookie carries a random token, the table its hash and expiry. */
import { and, eq, gt, lt } from "drizzle-orm";
import * as content from "../../content/index.js";
import type { Db, Queryable } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { cookieName, readCookie } from "../../shared/cookie.js";
import { staffSessions } from "../schema.js";
import { hashToken, newToken } from "./tokens.js";

export const STAFF_COOKIE = "bs_staff";
const SESSION_DAYS = 14;

export type StaffSessionDeps = { db: Db; clock: Clock; publicUrl: string };

/** Creates a session for `staffId` and returns the Set-Cookie header that carries it. */
export async function startStaffSession(deps: StaffSessionDeps, db: Queryable, staffId: string): Promise<string> {
  const token = newToken();
  const now = deps.clock.now();
  await db.delete(staffSessions).where(lt(staffSessions.expiresAt, now));
  await db.insert(staffSessions).values({
    tokenHash: hashToken(token),
    staffId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
  });
  return staffCookie(deps, token, SESSION_DAYS * 86_400);
}

/** The staff member a cookie belongs to, read afresh so a changed role applies to the very next request. */
export async function findSessionStaff(
  deps: Pick<StaffSessionDeps, "db" | "clock" | "publicUrl">,
  cookieHeader: string | undefined,
): Promise<{ staff: content.StaffMember; sessionHash: string } | undefined> {
  const token = readCookie(cookieHeader, cookieName(STAFF_COOKIE, deps.publicUrl.startsWith("https:")));
  if (!token || token.length > 100) return undefined;
  const sessionHash = hashToken(token);
  const [session] = await deps.db
    .select({ staffId: staffSessions.staffId })
    .from(staffSessions)
    .where(and(eq(staffSessions.tokenHash, sessionHash), gt(staffSessions.expiresAt, deps.clock.now())));
  if (!session) return undefined;
  const staff = await content.findStaffById(deps.db, session.staffId);
  // Deactivation deletes the sessions too; this also closes the gap of one started at the same moment.
  return staff && !staff.deactivatedAt ? { staff, sessionHash } : undefined;
}

export async function endStaffSession(deps: StaffSessionDeps, sessionHash: string): Promise<string> {
  await deps.db.delete(staffSessions).where(eq(staffSessions.tokenHash, sessionHash));
  return clearStaffCookie(deps);
}

/** Signs the account out on every browser, as after a password change or "sign out everywhere". */
export async function endAllStaffSessions(db: Queryable, staffId: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.staffId, staffId));
}

export function clearStaffCookie(deps: Pick<StaffSessionDeps, "publicUrl">): string {
  return staffCookie(deps, "", 0);
}

function staffCookie(deps: Pick<StaffSessionDeps, "publicUrl">, value: string, maxAgeSeconds: number): string {
  // Site-wide, so reader pages know staff (who read everything, uncounted); those pages are private.
  const isSecure = deps.publicUrl.startsWith("https:");
  const name = cookieName(STAFF_COOKIE, isSecure);
  const attributes = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (isSecure) attributes.push("Secure");
  return attributes.join("; ");
}
