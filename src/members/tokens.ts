/** Single-use emailed tokens: 32 random bytes in the link, only their SHA-256 in the database. */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { memberTokens } from "./schema.js";

export const TOKEN_VALID_MINUTES = 15;

export type TokenPurpose = (typeof memberTokens.$inferSelect)["purpose"];
type RedeemedToken = { email: string; memberId: string | null; nextPath: string | null; sessionId: string | null };

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createToken(
  db: Queryable,
  input: {
    purpose: TokenPurpose;
    email: string;
    memberId?: string;
    sessionId?: string;
    nextPath?: string;
    now: Date;
    validMinutes?: number;
  },
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(memberTokens).values({
    tokenHash: hashToken(token),
    purpose: input.purpose,
    email: input.email,
    memberId: input.memberId ?? null,
    sessionId: input.sessionId ?? null,
    nextPath: input.nextPath ?? null,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + (input.validMinutes ?? TOKEN_VALID_MINUTES) * 60_000),
  });
  return token;
}

const REDEEMED = {
  email: memberTokens.email,
  memberId: memberTokens.memberId,
  nextPath: memberTokens.nextPath,
  sessionId: memberTokens.sessionId,
};

/**
 * Marks the token used and returns what it was for; one UPDATE, so of two concurrent uses only one wins. With
 * `sessionId`, only a token bound to that session is used.
 */
export async function redeemToken(
  db: Queryable,
  input: { token: string; purpose: TokenPurpose; now: Date; sessionId?: string },
): Promise<RedeemedToken | undefined> {
  const bound = input.sessionId === undefined ? undefined : eq(memberTokens.sessionId, input.sessionId);
  const [row] = await db
    .update(memberTokens)
    .set({ usedAt: input.now })
    .where(and(usableToken(input), bound))
    .returning(REDEEMED);
  return row;
}

/** What a link is for, if it would work if used now; opening the link's page checks this without using it up. */
export async function findUsableToken(
  deps: { db: Queryable; clock: Clock },
  input: { token: string; purpose: TokenPurpose },
): Promise<RedeemedToken | undefined> {
  const check = { ...input, now: deps.clock.now() };
  const [row] = await deps.db.select(REDEEMED).from(memberTokens).where(usableToken(check));
  return row;
}

/** Whether a link would work if used now. */
export async function isLinkUsable(
  deps: { db: Queryable; clock: Clock },
  input: { token: string; purpose: TokenPurpose },
): Promise<boolean> {
  return (await findUsableToken(deps, input)) !== undefined;
}

/** Expired tokens are useless; dropping them keeps the table as small as the last quarter hour. */
export async function deleteExpiredTokens(db: Queryable, now: Date): Promise<void> {
  await db.delete(memberTokens).where(lt(memberTokens.expiresAt, now));
}

function usableToken(input: { token: string; purpose: TokenPurpose; now: Date }) {
  return and(
    eq(memberTokens.tokenHash, hashToken(input.token)),
    eq(memberTokens.purpose, input.purpose),
    isNull(memberTokens.usedAt),
    gt(memberTokens.expiresAt, input.now),
  );
}
