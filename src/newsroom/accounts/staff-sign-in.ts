/** Signing staff in with email and password (and a TOTP code when two-factor is on), rate-limited. */
import * as content from "../../content/index.js";
import { type AttemptRule, forgetAttempts, releaseAttempts, reserveAttempts } from "../../limits/index.js";
import { TooManyRequests, Unauthorized } from "../../shared/errors.js";
import { verifyPassword } from "./passwords.js";
import { type StaffSessionDeps, startStaffSession } from "./staff-sessions.js";
import { checkTwoFactorCode, hasTwoFactor } from "./two-factor.js";

const MINUTE = 60_000;

/**
 * Password checks allowed, counted before each check and given back when it succeeds. From one address and
 * IP: 5, then one more after 1 minute, 2, 4… up to an hour apart (the delays grow, nothing locks for long).
 * For one address from anywhere: 20 in 15 minutes, a lock that the right password with a two-factor code
 * passes. From one IP: 20 in 15 minutes, whatever the addresses.
 */
export const STAFF_SIGN_IN_LIMITS = {
  accountAndIp: { limit: 5, windowMs: 24 * 60 * MINUTE, growingDelay: { firstMs: MINUTE, maxMs: 60 * MINUTE } },
  account: { limit: 20, windowMs: 15 * MINUTE },
  ip: { limit: 20, windowMs: 15 * MINUTE },
} as const;

const ACCOUNT_SCOPE = "staff-sign-in:account";
const ACCOUNT_AND_IP_SCOPE = "staff-sign-in:account-ip";

function signInRules(account: string, ip: string): AttemptRule[] {
  return [
    { scope: ACCOUNT_AND_IP_SCOPE, key: `${account} ${ip}`, ...STAFF_SIGN_IN_LIMITS.accountAndIp },
    { scope: ACCOUNT_SCOPE, key: account, ...STAFF_SIGN_IN_LIMITS.account },
    { scope: "staff-sign-in:ip", key: ip, ...STAFF_SIGN_IN_LIMITS.ip },
  ];
}

export type SignInDeps = StaffSessionDeps & { sessionSecret: string };
export type StaffSignInInput = { email: string; password: string; code?: string | undefined; ip: string };

function tooManyAttempts(wait: number): TooManyRequests {
  const when = wait < 60 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`;
  return new TooManyRequests("TOO_MANY_ATTEMPTS", `Too many sign-in attempts: try again in ${when}`, {
    retryAfterSeconds: wait,
    help: "Or reset your password by email. With two-factor sign-in on, your code lets you in sooner.",
  });
}

/**
 * Reserves this attempt before any password is checked. When only the address's own lock is exhausted (many
 * IPs tried it), a request carrying a two-factor code for an account that has two-factor on goes on: it must
 * then pass the code before its password is even checked.
 */
async function reserveSignIn(deps: SignInDeps, input: { account: string; ip: string; code: string | undefined }) {
  const rules = signInRules(input.account, input.ip);
  const reservation = await reserveAttempts(deps, rules);
  if (reservation.kind === "reserved") return { ids: reservation.ids, isCodeFirst: false };
  const isOnlyAccountLocked = reservation.scopes.every((scope) => scope === ACCOUNT_SCOPE);
  if (isOnlyAccountLocked && input.code) {
    const credentials = await content.findStaffCredentials(deps.db, input.account);
    if (credentials && !credentials.deactivatedAt && (await hasTwoFactor(deps.db, credentials.id))) {
      const others = await reserveAttempts(
        deps,
        rules.filter((rule) => rule.scope !== ACCOUNT_SCOPE),
      );
      if (others.kind === "reserved") return { ids: others.ids, isCodeFirst: true };
      throw tooManyAttempts(others.retryAfterSeconds);
    }
  }
  throw tooManyAttempts(reservation.retryAfterSeconds);
}

/** The signed-in staff member and the Set-Cookie header of their new session. */
export async function signInStaff(
  deps: SignInDeps,
  input: StaffSignInInput,
): Promise<{ staff: content.StaffMember; setCookie: string }> {
  const account = input.email.trim().toLowerCase();
  const reserved = await reserveSignIn(deps, { account, ip: input.ip, code: input.code });
  // The password was right: the attempt counts against no one (two-factor codes are limited by the same rules).
  const giveBack = () => releaseAttempts(deps, reserved.ids);
  const wrongPassword = () =>
    new Unauthorized("SIGN_IN_FAILED", "That email and password do not match a newsroom account");
  const wrongCode = () =>
    new Unauthorized("TWO_FACTOR_CODE_WRONG", "That code is not right, or was already used", { property: "code" });
  // One lookup and one argon2 check whether or not the address has an account: the answer and its timing match.
  const credentials = await content.findStaffCredentials(deps.db, account);
  if (reserved.isCodeFirst && credentials && input.code) {
    if (!(await checkTwoFactorCode(deps, { staffId: credentials.id, code: input.code }))) throw wrongCode();
  }
  const isPasswordRight = await verifyPassword(credentials?.passwordHash, input.password);
  // A switched-off account answers exactly as a wrong password does: the answer tells nothing about it.
  if (!credentials || !isPasswordRight || credentials.deactivatedAt) throw wrongPassword();
  if (!reserved.isCodeFirst && (await hasTwoFactor(deps.db, credentials.id))) {
    if (!input.code) {
      await giveBack();
      throw new Unauthorized("TWO_FACTOR_REQUIRED", "Enter the 6-digit code from your authenticator app", {
        property: "code",
      });
    }
    if (!(await checkTwoFactorCode(deps, { staffId: credentials.id, code: input.code }))) throw wrongCode();
  }
  await giveBack();
  // Signed in from here: earlier misses from this address and IP no longer stretch its next wait.
  await forgetAttempts(deps, { scope: ACCOUNT_AND_IP_SCOPE, key: `${account} ${input.ip}` });
  const { passwordHash: _hash, ...staff } = credentials;
  return { staff, setCookie: await startStaffSession(deps, deps.db, staff.id) };
}
