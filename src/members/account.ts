/** What a signed-in member does to their own account: rename, change email, export, delete. */
import { eq, or } from "drizzle-orm";
import { withTransaction } from "../db/index.js";
import { emailChangeEmail } from "../email/index.js";
import { Conflict } from "../shared/errors.js";
import { findMemberByEmail, type Member, normalizeEmail } from "./queries.js";
import { memberSessions, members, memberTokens } from "./schema.js";
import { checkLimits, type LinkRequest, type LinkRequestResult, linkInvalid, type MemberDeps } from "./sign-in.js";
import { createToken, redeemToken, TOKEN_VALID_MINUTES } from "./tokens.js";

export async function renameMember(deps: Pick<MemberDeps, "db">, input: { id: string; name: string }): Promise<void> {
  await deps.db.update(members).set({ name: input.name.trim() }).where(eq(members.id, input.id));
}

/** Sends a confirmation link to the new address; the account keeps its old one until the link is used. */
export async function requestEmailChange(
  deps: MemberDeps,
  input: LinkRequest & { member: Member },
): Promise<LinkRequestResult | { kind: "unchanged" }> {
  const email = normalizeEmail(input.email);
  if (email === input.member.email) return { kind: "unchanged" };
  const limited = checkLimits(deps.limits, email, input.ip);
  if (limited) return limited;
  const now = deps.clock.now();
  const token = await createToken(deps.db, { purpose: "email-change", email, memberId: input.member.id, now });
  const url = `${deps.publicUrl}/account/email/verify?token=${token}`;
  await deps.mailer.send({ ...emailChangeEmail(input.brand, { url, validMinutes: TOKEN_VALID_MINUTES }), to: email });
  return { kind: "sent", email };
}

export async function confirmEmailChange(deps: MemberDeps, token: string): Promise<Member> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const redeemed = await redeemToken(tx, { token, purpose: "email-change", now });
    if (!redeemed?.memberId) throw linkInvalid();
    const owner = await findMemberByEmail(tx, redeemed.email);
    if (owner && owner.id !== redeemed.memberId) {
      throw new Conflict("EMAIL_TAKEN", `${redeemed.email} already belongs to another account.`, {
        property: "email",
        help: "Sign in with that address instead, or delete that account first.",
      });
    }
    const [member] = await tx
      .update(members)
      .set({ email: redeemed.email, emailVerifiedAt: now })
      .where(eq(members.id, redeemed.memberId))
      .returning();
    if (!member) throw linkInvalid();
    return member;
  });
}

export type MemberExport = {
  exportedAt: string;
  member: { id: string; email: string; name: string; createdAt: string; emailVerifiedAt: string | null };
  links: { purpose: string; email: string; createdAt: string; expiresAt: string; usedAt: string | null }[];
  sessions: { signedInAt: string; renewedAt: string }[];
};

/** Everything kept about the member, for "Download my data". Token hashes are left out: they are only keys. */
export async function exportMemberData(deps: Pick<MemberDeps, "db" | "clock">, member: Member): Promise<MemberExport> {
  const links = await deps.db
    .select()
    .from(memberTokens)
    .where(or(eq(memberTokens.memberId, member.id), eq(memberTokens.email, member.email)))
    .orderBy(memberTokens.createdAt);
  const sessions = await deps.db
    .select()
    .from(memberSessions)
    .where(eq(memberSessions.memberId, member.id))
    .orderBy(memberSessions.signedInAt);
  return {
    exportedAt: deps.clock.now().toISOString(),
    member: {
      id: member.id,
      email: member.email,
      name: member.name,
      createdAt: member.createdAt.toISOString(),
      emailVerifiedAt: member.emailVerifiedAt?.toISOString() ?? null,
    },
    links: links.map((l) => ({
      purpose: l.purpose,
      email: l.email,
      createdAt: l.createdAt.toISOString(),
      expiresAt: l.expiresAt.toISOString(),
      usedAt: l.usedAt?.toISOString() ?? null,
    })),
    // Session ids are left out like token hashes: they are keys, not data about the reader.
    sessions: sessions.map((s) => ({ signedInAt: s.signedInAt.toISOString(), renewedAt: s.renewedAt.toISOString() })),
  };
}

/** Deletes the member and every link sent for it; nothing about the reader is kept. The site cancels any
 * subscription at Stripe first (billing.cancelSubscriptionsOf); billing's rows go with the member (cascade). */
export async function deleteMember(deps: Pick<MemberDeps, "db">, memberId: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const [gone] = await tx.delete(members).where(eq(members.id, memberId)).returning({ email: members.email });
    if (gone) await tx.delete(memberTokens).where(eq(memberTokens.email, gone.email));
  });
}
