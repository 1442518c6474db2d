/** What a signed-in member does to their own account: rename, export, delete. Email changes: email-change.ts. */
import { eq, or } from "drizzle-orm";
import { withTransaction } from "../db/index.js";
import type { Member } from "./queries.js";
import { memberSessions, members, memberTokens } from "./schema.js";
import type { MemberDeps } from "./sign-in.js";

export async function renameMember(deps: Pick<MemberDeps, "db">, input: { id: string; name: string }): Promise<void> {
  await deps.db.update(members).set({ name: input.name.trim() }).where(eq(members.id, input.id));
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
