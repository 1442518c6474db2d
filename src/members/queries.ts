import { eq } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Invalid } from "../shared/errors.js";
import { members } from "./schema.js";

export type Member = typeof members.$inferSelect;

export async function findMemberById(db: Queryable, id: string): Promise<Member | undefined> {
  const [row] = await db.select().from(members).where(eq(members.id, id));
  return row;
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
