/**
 * The suppression list: addresses that bulk mail (newsletters) skips, because they bounced for good, complained,
 * were refused by the mail server with a 5xx, or were added by staff. Transactional mail (sign-in links, receipts)
 * still goes: a reader who asks for a link gets it.
 */
import { and, desc, eq, inArray, like, lt } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { emailSuppressions } from "./schema.js";

export type SuppressionReason = "hard_bounce" | "complaint" | "manual" | "smtp_rejected";
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = [
  "hard_bounce",
  "complaint",
  "manual",
  "smtp_rejected",
];

export type Suppression = {
  address: string;
  reason: SuppressionReason;
  source: string;
  detail: string;
  createdAt: Date;
};

/** Addresses are compared lower-case and trimmed: `Reader@Example.com` and `reader@example.com` are one. */
export const normaliseAddress = (address: string) => address.trim().toLowerCase();

const DETAIL_MAX = 1000;

/** Adds an address; true when it was new. One already listed keeps its first reason, source and time. */
export async function suppressAddress(
  db: Queryable,
  entry: { address: string; reason: SuppressionReason; source: string; detail?: string; at: Date },
): Promise<boolean> {
  const rows = await db
    .insert(emailSuppressions)
    .values({
      address: normaliseAddress(entry.address),
      reason: entry.reason,
      source: entry.source,
      detail: (entry.detail ?? "").slice(0, DETAIL_MAX),
      createdAt: entry.at,
    })
    .onConflictDoNothing({ target: emailSuppressions.address })
    .returning({ id: emailSuppressions.id });
  return rows.length > 0;
}

/** The list's entry for one address, if any. */
export async function findSuppression(db: Queryable, address: string): Promise<Suppression | undefined> {
  const [row] = await db
    .select()
    .from(emailSuppressions)
    .where(eq(emailSuppressions.address, normaliseAddress(address)));
  return row ? toSuppression(row) : undefined;
}

/** The entries among these addresses, by lower-case address: one query for a batch of a send. */
export async function suppressedAmong(db: Queryable, addresses: string[]): Promise<Map<string, Suppression>> {
  if (addresses.length === 0) return new Map();
  const rows = await db
    .select()
    .from(emailSuppressions)
    .where(inArray(emailSuppressions.address, [...new Set(addresses.map(normaliseAddress))]));
  return new Map(rows.map((row) => [row.address, toSuppression(row)]));
}

/** Newest first, `limit` at a time; `before` (a created time) pages on; `contains` matches part of the address. */
export async function listSuppressions(
  db: Queryable,
  options: { limit: number; before?: Date; reason?: SuppressionReason; contains?: string },
): Promise<Suppression[]> {
  // Addresses are kept lower-case; LIKE's own characters in the search match only themselves.
  const pattern = options.contains
    ? `%${normaliseAddress(options.contains).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    : undefined;
  const rows = await db
    .select()
    .from(emailSuppressions)
    .where(
      and(
        options.before ? lt(emailSuppressions.createdAt, options.before) : undefined,
        options.reason ? eq(emailSuppressions.reason, options.reason) : undefined,
        pattern ? like(emailSuppressions.address, pattern) : undefined,
      ),
    )
    .orderBy(desc(emailSuppressions.createdAt), desc(emailSuppressions.address))
    .limit(options.limit);
  return rows.map(toSuppression);
}

/** Takes an address off the list; true when it was on it. */
export async function removeSuppression(db: Queryable, address: string): Promise<boolean> {
  const rows = await db
    .delete(emailSuppressions)
    .where(eq(emailSuppressions.address, normaliseAddress(address)))
    .returning({ id: emailSuppressions.id });
  return rows.length > 0;
}

function toSuppression(row: typeof emailSuppressions.$inferSelect): Suppression {
  const { address, reason, source, detail, createdAt } = row;
  return { address, reason, source, detail, createdAt };
}
