/** Sign-in and sign-up by emailed link. Asking for a link answers the same whether or not the address has an account. */

import { withTransaction } from "../db/index.js";
import { type Brand, type Mailer, magicLinkEmail, welcomeEmail } from "../email/index.js";
import { Invalid } from "../shared/errors.js";
import { memberTag } from "./entitlements.js";
import { safeNextPath } from "./next-path.js";
import { findMemberByEmail, type Member, normalizeEmail } from "./queries.js";
import { reserveLinkRequest } from "./rate-limit.js";
import { members } from "./schema.js";
import { openSession, type SessionDeps } from "./sessions.js";
import { createToken, deleteExpiredTokens, redeemToken, TOKEN_VALID_MINUTES } from "./tokens.js";

export type MemberDeps = SessionDeps & { mailer: Mailer };

export type LinkRequest = { email: string; ip: string; brand: Brand };
export type LinkRequestResult = { kind: "sent"; email: string } | { kind: "limited"; retryAfterSeconds: number };

export async function requestSignIn(
  deps: MemberDeps,
  input: LinkRequest & { next: string | undefined },
): Promise<LinkRequestResult> {
  const email = normalizeEmail(input.email);
  const limited = await checkLimits(deps, email, input.ip);
  if (limited) return limited;
  const now = deps.clock.now();
  await deleteExpiredTokens(deps.db, now);
  // The same work either way (one lookup, one token, one email), so timing does not tell whether the account exists.
  const existing = await findMemberByEmail(deps.db, email);
  const nextPath = safeNextPath(input.next);
  // The link and its message are written together: a link is never made without its message queued.
  await withTransaction(deps.db, async (tx) => {
    const token = await createToken(tx, { purpose: "sign-in", email, now, ...(nextPath ? { nextPath } : {}) });
    const url = `${deps.publicUrl}/signin/verify?token=${token}`;
    const message = magicLinkEmail(input.brand, { url, isNewMember: !existing, validMinutes: TOKEN_VALID_MINUTES });
    await deps.mailer.send({ ...message, to: email }, { db: tx });
  });
  return { kind: "sent", email };
}

export type SignInResult = {
  member: Member;
  nextPath: string | undefined;
  isNewMember: boolean;
  /** Signs this browser in with a new session; any session it held before has ended. */
  setCookie: string;
};

/** Uses the link: creates the member on the first verified sign-in, and opens a session for this browser. */
export async function completeSignIn(
  deps: MemberDeps,
  input: { token: string; cookieHeader: string | undefined },
): Promise<SignInResult> {
  const now = deps.clock.now();
  const result = await withTransaction(deps.db, async (tx) => {
    const redeemed = await redeemToken(tx, { token: input.token, purpose: "sign-in", now });
    if (!redeemed) throw linkInvalid();
    const [created] = await tx
      .insert(members)
      .values({ email: redeemed.email, createdAt: now, emailVerifiedAt: now })
      .onConflictDoNothing({ target: members.email })
      .returning();
    const member = created ?? (await findMemberByEmail(tx, redeemed.email));
    if (!member) throw linkInvalid();
    const opened = await openSession(deps, tx, { member, cookieHeader: input.cookieHeader });
    const nextPath = redeemed.nextPath ?? undefined;
    return { member, nextPath, isNewMember: Boolean(created), ...opened };
  });
  // Copies of the cookie this browser had before are refused at once, as after signing out.
  if (result.endedFor) await deps.invalidate([memberTag(result.endedFor)]);
  const { endedFor: _, ...signedIn } = result;
  return signedIn;
}

export async function sendWelcomeEmail(deps: MemberDeps, input: { member: Member; brand: Brand }): Promise<void> {
  const message = welcomeEmail(input.brand, { accountUrl: `${deps.publicUrl}/account` });
  // Once per account, however often the page that sends it is reloaded or retried.
  await deps.mailer.send({ ...message, to: input.member.email }, { key: `welcome:${input.member.id}` });
}

/** Counts the request before anything is sent; a refused request counts nothing, so it does not extend its wait. */
export async function checkLimits(
  deps: Pick<MemberDeps, "db" | "clock">,
  email: string,
  ip: string,
): Promise<LinkRequestResult | undefined> {
  const wait = await reserveLinkRequest(deps, { email, ip });
  return wait ? { kind: "limited", retryAfterSeconds: wait } : undefined;
}

export function linkInvalid(): Invalid {
  return new Invalid("LINK_INVALID", "This link has expired or was already used.", {
    help: `Each link works once, for ${TOKEN_VALID_MINUTES} minutes: ask for a new one.`,
  });
}
