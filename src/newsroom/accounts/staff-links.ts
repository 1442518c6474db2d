/** Emailed single-use links for staff: password resets (30 minutes) and invitations with a role (7 days). */
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import * as content from "../../content/index.js";
import { type Db, type Queryable, withTransaction } from "../../db/index.js";
import { type Brand, type Mailer, passwordResetEmail, staffInvitationEmail } from "../../email/index.js";
import { reserveAttempts } from "../../limits/index.js";
import type { Clock } from "../../shared/clock.js";
import { Conflict, Invalid, TooManyRequests } from "../../shared/errors.js";
import type { Actor } from "../policy.js";
import { staffTokens } from "../schema.js";
import { checkNewPassword, hashPassword } from "./passwords.js";
import { endAllStaffSessions } from "./staff-sessions.js";
import { hashToken, newToken } from "./tokens.js";

export const RESET_VALID_MINUTES = 30;
export const INVITATION_VALID_DAYS = 7;

export type StaffLinkDeps = { db: Db; clock: Clock; mailer: Mailer; publicUrl: string };
type Purpose = (typeof staffTokens.$inferSelect)["purpose"];

/**
 * Sends a reset link when the address has an account; the caller answers the same either way. Three requests
 * per address in 15 minutes, counted whether or not it has an account, so the limit tells nothing either.
 */
export async function requestPasswordReset(deps: StaffLinkDeps, input: { email: string; brand: Brand }): Promise<void> {
  const address = input.email.trim().toLowerCase();
  const reservation = await reserveAttempts(deps, [
    { scope: "staff-reset:address", key: address, limit: 3, windowMs: 15 * 60_000 },
  ]);
  if (reservation.kind === "limited") {
    throw new TooManyRequests(
      "TOO_MANY_RESETS",
      "A reset link was sent to this address a moment ago: check your email",
      { retryAfterSeconds: reservation.retryAfterSeconds },
    );
  }
  const now = deps.clock.now();
  await deps.db.delete(staffTokens).where(lt(staffTokens.expiresAt, now));
  const staff = await content.findStaffByEmail(deps.db, input.email);
  if (!staff || staff.deactivatedAt) return;
  const token = newToken();
  const url = `${deps.publicUrl}/admin/reset-password?token=${token}`;
  await withTransaction(deps.db, async (tx) => {
    await tx.insert(staffTokens).values({
      tokenHash: hashToken(token),
      purpose: "password-reset",
      email: staff.email,
      staffId: staff.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_VALID_MINUTES * 60_000),
    });
    const message = passwordResetEmail(input.brand, { url, validMinutes: RESET_VALID_MINUTES });
    await deps.mailer.send({ ...message, to: staff.email }, { db: tx });
  });
}

/** Sets the new password and signs the account out everywhere, so whoever knew the old one is out too. */
export async function completePasswordReset(
  deps: Pick<StaffLinkDeps, "db" | "clock">,
  input: { token: string; password: string },
): Promise<void> {
  // The link first: nobody is asked for a stronger password only to be told the link is dead.
  const link = await findUsableLink(deps, { token: input.token, purpose: "password-reset" });
  const staff = link?.staffId ? await content.findStaffById(deps.db, link.staffId) : undefined;
  if (!staff) throw linkInvalid();
  await checkNewPassword(input.password, staff);
  const passwordHash = await hashPassword(input.password);
  await withTransaction(deps.db, async (tx) => {
    const redeemed = await redeem(tx, { token: input.token, purpose: "password-reset", now: deps.clock.now() });
    if (!redeemed?.staffId) throw linkInvalid();
    await content.setStaffPassword(tx, { id: redeemed.staffId, passwordHash });
    await endAllStaffSessions(tx, redeemed.staffId);
  });
}

export type Invitation = { email: string; role: content.StaffRole; createdAt: Date; expiresAt: Date };

/** Invites `email` with `role`; a newer invitation to the same address replaces an older one. */
export async function inviteStaff(
  deps: StaffLinkDeps,
  input: { inviter: Actor & { name: string }; email: string; role: content.StaffRole; brand: Brand },
): Promise<Invitation> {
  const email = input.email.trim().toLowerCase();
  if (await content.findStaffByEmail(deps.db, email)) {
    throw new Conflict("EMAIL_TAKEN", "A staff account already uses that email", { property: "email" });
  }
  const now = deps.clock.now();
  const token = newToken();
  const invitation: Invitation = {
    email,
    role: input.role,
    createdAt: now,
    expiresAt: new Date(now.getTime() + INVITATION_VALID_DAYS * 86_400_000),
  };
  await withTransaction(deps.db, async (tx) => {
    await tx
      .delete(staffTokens)
      .where(and(eq(staffTokens.purpose, "invitation"), eq(staffTokens.email, email), isNull(staffTokens.usedAt)));
    await tx.insert(staffTokens).values({
      tokenHash: hashToken(token),
      purpose: "invitation",
      invitedBy: input.inviter.id,
      ...invitation,
    });
    const message = staffInvitationEmail(input.brand, {
      url: `${deps.publicUrl}/admin/invitation?token=${token}`,
      inviterName: input.inviter.name,
      role: input.role,
      validDays: INVITATION_VALID_DAYS,
    });
    await deps.mailer.send({ ...message, to: email }, { db: tx });
  });
  return invitation;
}

export async function listInvitations(deps: Pick<StaffLinkDeps, "db" | "clock">): Promise<Invitation[]> {
  const rows = await deps.db
    .select({
      email: staffTokens.email,
      role: staffTokens.role,
      createdAt: staffTokens.createdAt,
      expiresAt: staffTokens.expiresAt,
    })
    .from(staffTokens)
    .where(usable({ purpose: "invitation", now: deps.clock.now() }))
    .orderBy(staffTokens.createdAt);
  // Every invitation row has a role (inviteStaff sets it); the column is nullable only for resets.
  return rows.flatMap((r) => (r.role ? [{ ...r, role: r.role }] : []));
}

/** Creates the account the invitation names, with the name and password its holder chose. */
export async function acceptInvitation(
  deps: Pick<StaffLinkDeps, "db" | "clock">,
  input: { token: string; name: string; password: string },
): Promise<{ id: string }> {
  const name = input.name.trim();
  if (!name) throw new Invalid("NAME_REQUIRED", "Enter your name as readers will see it", { property: "name" });
  const link = await findUsableLink(deps, { token: input.token, purpose: "invitation" });
  if (!link) throw linkInvalid();
  await checkNewPassword(input.password, { email: link.email, name });
  const passwordHash = await hashPassword(input.password);
  return withTransaction(deps.db, async (tx) => {
    const redeemed = await redeem(tx, { token: input.token, purpose: "invitation", now: deps.clock.now() });
    if (!redeemed?.role) throw linkInvalid();
    return content.createStaff(tx, { email: redeemed.email, name, role: redeemed.role, passwordHash });
  });
}

export async function isStaffLinkUsable(
  deps: Pick<StaffLinkDeps, "db" | "clock">,
  input: { token: string; purpose: Purpose },
): Promise<boolean> {
  return (await findUsableLink(deps, input)) !== undefined;
}

/** Whom an unused, unexpired link is for, without using it up (redeem does that, in the transaction). */
async function findUsableLink(deps: Pick<StaffLinkDeps, "db" | "clock">, input: { token: string; purpose: Purpose }) {
  const [row] = await deps.db
    .select({ email: staffTokens.email, staffId: staffTokens.staffId })
    .from(staffTokens)
    .where(and(eq(staffTokens.tokenHash, hashToken(input.token)), usable({ ...input, now: deps.clock.now() })));
  return row;
}

/** One UPDATE … WHERE unused AND unexpired RETURNING: of two concurrent uses only one wins. */
async function redeem(db: Queryable, input: { token: string; purpose: Purpose; now: Date }) {
  const [row] = await db
    .update(staffTokens)
    .set({ usedAt: input.now })
    .where(and(eq(staffTokens.tokenHash, hashToken(input.token)), usable(input)))
    .returning({ email: staffTokens.email, staffId: staffTokens.staffId, role: staffTokens.role });
  return row;
}

function usable(input: { purpose: Purpose; now: Date }) {
  return and(eq(staffTokens.purpose, input.purpose), isNull(staffTokens.usedAt), gt(staffTokens.expiresAt, input.now));
}

function linkInvalid(): Invalid {
  return new Invalid("LINK_INVALID", "This link has expired or was already used", {
    help: "Ask for a new one",
  });
}
