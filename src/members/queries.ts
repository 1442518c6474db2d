import { eq, inArray, sql } from "drizzle-orm";
import { type Db, type Queryable, sumByDay, withTransaction } from "../db/index.js";
import type { DayRange } from "../shared/day-range.js";
import { Invalid } from "../shared/errors.js";
import { members } from "./schema.js";

export type Member = typeof members.$inferSelect;

export async function findMemberById(db: Queryable, id: string): Promise<Member | undefined> {
  const [row] = await db.select().from(members).where(eq(members.id, id));
  return row;
}

/** The members of these ids that exist, by id: one query for a batch of a newsletter send. */
export async function findMembersByIds(db: Queryable, ids: string[]): Promise<Member[]> {
  if (ids.length === 0) return [];
  return db.select().from(members).where(inArray(members.id, ids)).orderBy(members.id);
}

export async function findMemberByEmail(db: Queryable, email: string): Promise<Member | undefined> {
  const [row] = await db.select().from(members).where(eq(members.email, email));
  return row;
}

const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

/** Addresses are compared and stored lower-case: nobody expects Ann@ and ann@ to be two readers. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL_SHAPE.test(email)) {
    throw new Invalid("EMAIL_INVALID", "Enter an email address, like name@example.com.", { property: "email" });
  }
  return email;
}

export type ImportedMember = { email: string; name: string };

/**
 * Adds readers from a list in one transaction: all of them or none. Addresses that already have an account are
 * left as they are and reported back, so importing the same list twice changes nothing.
 */
export async function importMembers(
  db: Db,
  rows: readonly ImportedMember[],
  now: Date,
): Promise<{ created: number; existing: string[] }> {
  return withTransaction(db, async (tx) => {
    if (rows.length === 0) return { created: 0, existing: [] };
    const inserted = await tx
      .insert(members)
      .values(rows.map((r) => ({ email: r.email, name: r.name, createdAt: now })))
      .onConflictDoNothing({ target: members.email })
      .returning({ email: members.email });
    const added = new Set(inserted.map((r) => r.email));
    return { created: added.size, existing: rows.map((r) => r.email).filter((e) => !added.has(e)) };
  });
}

/**
 * The member with this (normalised) address, made now when there is none: a reader who confirmed a newsletter
 * sign-up by its emailed link has shown the address is theirs, as a sign-in link would.
 */
export async function ensureVerifiedMember(
  db: Queryable,
  input: { email: string; now: Date },
): Promise<{ member: Member; isNew: boolean }> {
  const [created] = await db
    .insert(members)
    .values({ email: input.email, createdAt: input.now, emailVerifiedAt: input.now })
    .onConflictDoNothing({ target: members.email })
    .returning();
  if (created) return { member: created, isNew: true };
  const member = await findMemberByEmail(db, input.email);
  if (!member) throw new Invalid("EMAIL_INVALID", "That address could not be used.", { property: "email" });
  return { member, isNew: false };
}

/** Reader accounts opened on each day of the range (accounts deleted since are not counted). */
export function countSignUpsByDay(db: Queryable, range: DayRange): Promise<number[]> {
  return sumByDay(db, range, { at: sql`created_at`, from: sql`members` });
}
