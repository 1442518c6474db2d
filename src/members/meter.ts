/** A registered reader's meter, kept on the server: one row per metered article read per month. */
import { and, eq, sql } from "drizzle-orm";
import { type Db, type Queryable, withTransaction } from "../db/index.js";
import { memberMeterReads } from "./schema.js";

export type MeteredRead = { memberId: string; articleId: string; month: string; allowance: number; at: Date };

/** The meter before this read: how many were counted and whether this article was. */
export type MemberMeter = { used: number; alreadyCounted: boolean };

/**
 * Counts the read if the article is new this month and the allowance is not used up, and reports the meter as
 * it was. Concurrent reads by one member are serialised by a per-member lock, so they never exceed the allowance.
 */
export async function recordMeteredRead(db: Db, read: MeteredRead): Promise<MemberMeter> {
  return withTransaction(db, async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`meter:${read.memberId}`}, 0))`);
    const meter = await peekMeteredRead(tx, read);
    if (!meter.alreadyCounted && meter.used < read.allowance) {
      await tx.insert(memberMeterReads).values({
        memberId: read.memberId,
        month: read.month,
        articleId: read.articleId,
        readAt: read.at,
      });
    }
    return meter;
  });
}

/** The meter as `recordMeteredRead` reports it, counting nothing: for a request that is not a read (a HEAD). */
export async function peekMeteredRead(
  db: Queryable,
  read: Pick<MeteredRead, "memberId" | "articleId" | "month">,
): Promise<MemberMeter> {
  const counted = await db
    .select({ articleId: memberMeterReads.articleId })
    .from(memberMeterReads)
    .where(and(eq(memberMeterReads.memberId, read.memberId), eq(memberMeterReads.month, read.month)));
  return { used: counted.length, alreadyCounted: counted.some((c) => c.articleId === read.articleId) };
}
