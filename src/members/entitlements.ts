/**
 * What a member may read. Billing works out paid access (subscriptions, grace periods, complimentary grants) and
 * stores the verdict on the member; this is the one function that turns it into an entitlement, and the change
 * log that makes sessions notice a new verdict at once instead of when their claim runs out.
 */
import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Queryable } from "../db/index.js";
import type { Member } from "./queries.js";
import { members } from "./schema.js";

export const ENTITLEMENTS = ["registered", "subscriber", "complimentary"] as const;
export type Entitlement = (typeof ENTITLEMENTS)[number];

/** Billing's verdict: which kind of paid access, until when (null: until billing says otherwise). */
export type PaidAccess = { kind: "subscriber" | "complimentary"; until: Date | null };

export type EntitlementNow = {
  entitlement: Entitlement;
  /** Epoch ms when paid access ends; a claim must not outlive it. */
  endsAt: number | undefined;
};

export function entitlementOf(member: Pick<Member, "paidAccess" | "paidAccessUntil">, now: Date): EntitlementNow {
  const until = member.paidAccessUntil?.getTime();
  if (!member.paidAccess || (until !== undefined && until <= now.getTime())) {
    return { entitlement: "registered", endsAt: undefined };
  }
  return { entitlement: member.paidAccess, endsAt: until };
}

/** Billing records its verdict, in the same transaction as whatever changed it; then it calls `memberTag`'s invalidation. */
export async function setPaidAccess(db: Queryable, memberId: string, access: PaidAccess | null): Promise<void> {
  await db
    .update(members)
    .set({ paidAccess: access?.kind ?? null, paidAccessUntil: access?.until ?? null })
    .where(eq(members.id, memberId));
}

const MEMBER_TAG_PREFIX = "member:";

/** The invalidation tag that tells every process a member's entitlement changed. */
export function memberTag(memberId: string): string {
  return `${MEMBER_TAG_PREFIX}${memberId}`;
}

export type MemberChanges = {
  /** Records the members named by these invalidation tags as changed at `at` (epoch ms). */
  note(tags: readonly string[], at: number): void;
  /** Whether the member changed after a claim issued at `issuedAt` (epoch ms). */
  changedSince(memberId: string, issuedAt: number): boolean;
};

/** Changes older than a claim's lifetime need no record: such claims are renewed anyway. */
export function createMemberChanges(claimLifetimeMs: number): MemberChanges {
  const changedAt = new LRUCache<string, number>({ max: 100_000, ttl: claimLifetimeMs });
  return {
    note(tags, at) {
      for (const tag of tags) {
        if (tag.startsWith(MEMBER_TAG_PREFIX)) changedAt.set(tag.slice(MEMBER_TAG_PREFIX.length), at);
      }
    },
    changedSince(memberId, issuedAt) {
      const at = changedAt.get(memberId);
      return at !== undefined && at >= issuedAt;
    },
  };
}
