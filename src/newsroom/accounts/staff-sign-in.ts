/** Signing staff in with email and password (and a TOTP code when two-factor is on), rate-limited. */
import * as content from "../../content/index.js";
import type { Clock } from "../../shared/clock.js";
import { TooManyRequests, Unauthorized } from "../../shared/errors.js";
import { createRateLimiter, type RateLimiter } from "../../shared/rate-limiter.js";
import { verifyPassword } from "./passwords.js";
import { type StaffSessionDeps, startStaffSession } from "./staff-sessions.js";
import { checkTwoFactorCode, hasTwoFactor } from "./two-factor.js";

export type StaffSignInLimits = { perAccount: RateLimiter; perIp: RateLimiter; resetsPerAddress: RateLimiter };

const WINDOW_MS = 15 * 60_000;

/** Failed sign-ins allowed per address and per client IP, and reset emails per address, in 15 minutes. */
export function createStaffSignInLimits(clock: Clock): StaffSignInLimits {
  return {
    perAccount: createRateLimiter(clock, { limit: 5, windowMs: WINDOW_MS }),
    perIp: createRateLimiter(clock, { limit: 20, windowMs: WINDOW_MS }),
    resetsPerAddress: createRateLimiter(clock, { limit: 3, windowMs: WINDOW_MS }),
  };
}

export type SignInDeps = StaffSessionDeps & { limits: StaffSignInLimits; sessionSecret: string };
export type StaffSignInInput = { email: string; password: string; code?: string | undefined; ip: string };

/** The signed-in staff member and the Set-Cookie header of their new session. */
export async function signInStaff(
  deps: SignInDeps,
  input: StaffSignInInput,
): Promise<{ staff: content.StaffMember; setCookie: string }> {
  const account = input.email.trim().toLowerCase();
  const wait = Math.max(deps.limits.perAccount.retryAfter(account), deps.limits.perIp.retryAfter(input.ip));
  if (wait > 0) {
    throw new TooManyRequests(
      "TOO_MANY_ATTEMPTS",
      `Too many sign-in attempts: try again in ${Math.ceil(wait / 60)} minutes`,
      {
        retryAfterSeconds: wait,
        help: "Or reset your password by email",
      },
    );
  }
  const fail = (error: Unauthorized) => {
    deps.limits.perAccount.record(account);
    deps.limits.perIp.record(input.ip);
    return error;
  };
  // One lookup and one argon2 check whether or not the address has an account: the answer and its timing match.
  const credentials = await content.findStaffCredentials(deps.db, account);
  const isPasswordRight = await verifyPassword(credentials?.passwordHash, input.password);
  // A switched-off account answers exactly as a wrong password does: the answer tells nothing about it.
  if (!credentials || !isPasswordRight || credentials.deactivatedAt) {
    throw fail(new Unauthorized("SIGN_IN_FAILED", "That email and password do not match a newsroom account"));
  }
  if (await hasTwoFactor(deps.db, credentials.id)) {
    if (!input.code) {
      throw new Unauthorized("TWO_FACTOR_REQUIRED", "Enter the 6-digit code from your authenticator app", {
        property: "code",
      });
    }
    if (!(await checkTwoFactorCode(deps, { staffId: credentials.id, code: input.code }))) {
      throw fail(
        new Unauthorized("TWO_FACTOR_CODE_WRONG", "That code is not right, or was already used", { property: "code" }),
      );
    }
  }
  const { passwordHash: _hash, ...staff } = credentials;
  return { staff, setCookie: await startStaffSession(deps, deps.db, staff.id) };
}
