/**
 * Changing a member's email address. Asking needs a recent sign-in; the link sent to the new address works only
 * in the session that asked; the old address is told before the change is made, with a link that undoes it.
 */
import { and, eq, isNull } from "drizzle-orm";
import { withTransaction } from "../db/index.js";
import { type Brand, emailChangedEmail, emailChangeEmail } from "../email/index.js";
import { Conflict, Forbidden, Invalid } from "../shared/errors.js";
import { memberTag } from "./entitlements.js";
import { findMemberByEmail, type Member, normalizeEmail } from "./queries.js";
import { members, memberTokens } from "./schema.js";
import { endAllSessions, type SignedInMember } from "./sessions.js";
import { checkLimits, type LinkRequest, type LinkRequestResult, linkInvalid, type MemberDeps } from "./sign-in.js";
import { createToken, findUsableToken, redeemToken, TOKEN_VALID_MINUTES } from "./tokens.js";

/** How long after using a sign-in link a member may ask to change their address without signing in again. */
export const RECENT_SIGN_IN_MINUTES = 15;
/** How long the old address's undo link works: long enough to notice a change made by someone else. */
export const UNDO_VALID_DAYS = 7;

type AskingSession = Pick<SignedInMember, "member" | "sessionId" | "signedInAt">;
type ConfirmingSession = Pick<SignedInMember, "member" | "sessionId">;

/** Sends a confirmation link to the new address; the account keeps its old one until the link is used. */
export async function requestEmailChange(
  deps: MemberDeps,
  input: LinkRequest & { signedIn: AskingSession },
): Promise<LinkRequestResult | { kind: "unchanged" }> {
  const { member, sessionId } = input.signedIn;
  const email = normalizeEmail(input.email);
  if (email === member.email) return { kind: "unchanged" };
  requireRecentSignIn(deps, input.signedIn);
  const limited = await checkLimits(deps, email, input.ip);
  if (limited) return limited;
  const now = deps.clock.now();
  await withTransaction(deps.db, async (tx) => {
    const token = await createToken(tx, { purpose: "email-change", email, memberId: member.id, sessionId, now });
    const url = `${deps.publicUrl}/account/email/verify?token=${token}`;
    const message = emailChangeEmail(input.brand, { url, validMinutes: TOKEN_VALID_MINUTES });
    await deps.mailer.send({ ...message, to: email }, { db: tx });
  });
  return { kind: "sent", email };
}

/**
 * The new address a confirmation link would give the account, if it is used in the session that asked for it;
 * refused otherwise, and the link is left as it was.
 */
export async function checkEmailChangeLink(
  deps: MemberDeps,
  input: { token: string; signedIn: ConfirmingSession | undefined },
): Promise<{ email: string; signedIn: ConfirmingSession }> {
  const pending = await findUsableToken(deps, { token: input.token, purpose: "email-change" });
  if (!pending?.memberId) throw linkInvalid();
  const { signedIn } = input;
  if (!signedIn || pending.sessionId !== signedIn.sessionId || pending.memberId !== signedIn.member.id) {
    throw new Forbidden(
      "EMAIL_CHANGE_OTHER_SESSION",
      "This link works only in the browser where the change of email address was asked for, while signed in there.",
      { help: "Open the link in that browser, or ask for the change again from your account page here." },
    );
  }
  const owner = await findMemberByEmail(deps.db, pending.email);
  if (owner && owner.id !== signedIn.member.id) throw emailTaken(pending.email);
  return { email: pending.email, signedIn };
}

/**
 * Uses the confirmation link. The old address's notice (with the undo link) is queued in the transaction that
 * changes the address, so no address is ever changed without its owner being told.
 */
export async function confirmEmailChange(
  deps: MemberDeps,
  input: { token: string; signedIn: ConfirmingSession | undefined; brand: Brand },
): Promise<Member> {
  const { email, signedIn } = await checkEmailChangeLink(deps, input);
  const { sessionId } = signedIn;
  const oldEmail = signedIn.member.email;
  const memberId = signedIn.member.id;
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const redeemed = await redeemToken(tx, { token: input.token, purpose: "email-change", now, sessionId });
    if (!redeemed) throw linkInvalid();
    const owner = await findMemberByEmail(tx, redeemed.email);
    if (owner && owner.id !== memberId) throw emailTaken(redeemed.email);
    // Only from the address the notice goes to: a change made meanwhile by another session wins.
    const [member] = await tx
      .update(members)
      .set({ email: redeemed.email, emailVerifiedAt: now })
      .where(and(eq(members.id, memberId), eq(members.email, oldEmail)))
      .returning();
    if (!member) throw linkInvalid();
    const undo = await createToken(tx, {
      purpose: "email-undo",
      email: oldEmail,
      memberId,
      now,
      validMinutes: UNDO_VALID_DAYS * 24 * 60,
    });
    const undoUrl = `${deps.publicUrl}/account/email/undo?token=${undo}`;
    const notice = emailChangedEmail(input.brand, { newEmail: email, undoUrl, validDays: UNDO_VALID_DAYS });
    await deps.mailer.send({ ...notice, to: oldEmail }, { db: tx });
    return member;
  });
}

/**
 * Uses the undo link sent to the old address: the account gets that address back, every session ends, and any
 * change still waiting for confirmation is dropped. It needs no session: whoever changed the address may hold them all.
 */
export async function undoEmailChange(deps: MemberDeps, token: string): Promise<{ email: string }> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx) => {
    const redeemed = await redeemToken(tx, { token, purpose: "email-undo", now });
    if (!redeemed?.memberId) throw undoLinkInvalid();
    const owner = await findMemberByEmail(tx, redeemed.email);
    if (owner && owner.id !== redeemed.memberId) {
      throw new Conflict(
        "EMAIL_TAKEN",
        `${redeemed.email} now belongs to another account, so it cannot be given back.`,
        {
          property: "email",
          help: "Sign in with that address to reach the account that has it.",
        },
      );
    }
    const [member] = await tx
      .update(members)
      .set({ email: redeemed.email, emailVerifiedAt: now })
      .where(eq(members.id, redeemed.memberId))
      .returning({ id: members.id });
    if (!member) throw undoLinkInvalid();
    await endAllSessions(tx, member.id);
    await tx
      .delete(memberTokens)
      .where(
        and(
          eq(memberTokens.memberId, member.id),
          eq(memberTokens.purpose, "email-change"),
          isNull(memberTokens.usedAt),
        ),
      );
    return { memberId: member.id, email: redeemed.email };
  });
  await deps.invalidate([memberTag(result.memberId)]);
  return { email: result.email };
}

function requireRecentSignIn(deps: Pick<MemberDeps, "clock">, signedIn: AskingSession): void {
  const age = deps.clock.now().getTime() - signedIn.signedInAt.getTime();
  if (age <= RECENT_SIGN_IN_MINUTES * 60_000) return;
  throw new Forbidden(
    "RECENT_SIGN_IN_REQUIRED",
    `To change your email address, confirm it is you first: your last sign-in was more than ${RECENT_SIGN_IN_MINUTES} minutes ago.`,
    {
      property: "email",
      help: `We can email a sign-in link to ${signedIn.member.email}. Open it in this browser, then change your address within ${RECENT_SIGN_IN_MINUTES} minutes.`,
    },
  );
}

/** An undo link that is unknown, used or past its days: said with its own validity, not a sign-in link's. */
export function undoLinkInvalid(): Invalid {
  return new Invalid("LINK_INVALID", "This link has expired or was already used.", {
    help: `An undo link works once, for ${UNDO_VALID_DAYS} days.`,
  });
}

function emailTaken(email: string): Conflict {
  return new Conflict("EMAIL_TAKEN", `${email} already belongs to another account.`, {
    property: "email",
    help: "Sign in with that address instead, or delete that account first.",
  });
}
