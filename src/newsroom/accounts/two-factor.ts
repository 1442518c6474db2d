/**
 * Optional TOTP two-factor sign-in (RFC 6238: 6 digits, 30 s, SHA-1, as every authenticator app reads).
 * The shared secret is stored sealed (AES-256-GCM, key derived from SESSION_SECRET), so a copy of the database
 * alone does not give anyone the codes.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { and, eq, isNotNull, lt } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import type { Db, Queryable } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { Conflict, Invalid } from "../../shared/errors.js";
import { staffTwoFactor } from "../schema.js";

export type TwoFactorDeps = { db: Db; clock: Clock; sessionSecret: string };

const SEALED = "v1.";

function sealingKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", sessionSecret, "", "broadsheet two-factor secret", 32));
}

export function sealSecret(secret: string, sessionSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(sessionSecret), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The secret, or null when it was sealed with another SESSION_SECRET (or tampered with). */
export function openSecret(stored: string, sessionSecret: string): string | null {
  // Rows written before secrets were sealed hold the secret itself.
  if (!stored.startsWith(SEALED)) return stored;
  const raw = Buffer.from(stored.slice(SEALED.length), "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(sessionSecret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
export type TwoFactorSetup = { secret: string; uri: string };

function totpFor(secret: string, label: string, issuer: string): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
}

export async function hasTwoFactor(db: Queryable, staffId: string): Promise<boolean> {
  const rows = await db
    .select({ staffId: staffTwoFactor.staffId })
    .from(staffTwoFactor)
    .where(and(eq(staffTwoFactor.staffId, staffId), isNotNull(staffTwoFactor.confirmedAt)));
  return rows.length > 0;
}

/** A new secret for the authenticator app; it protects sign-in only once confirmed with a first code. */
export async function beginTwoFactor(
  deps: TwoFactorDeps,
  input: { staffId: string; email: string; issuer: string },
): Promise<TwoFactorSetup> {
  if (await hasTwoFactor(deps.db, input.staffId)) {
    throw new Conflict("TWO_FACTOR_ON", "Two-factor sign-in is already on", {
      help: "Turn it off first to move it to another device",
    });
  }
  const secret = new Secret({ size: 20 }).base32;
  const sealed = sealSecret(secret, deps.sessionSecret);
  await deps.db
    .insert(staffTwoFactor)
    .values({ staffId: input.staffId, secret: sealed })
    .onConflictDoUpdate({ target: staffTwoFactor.staffId, set: { secret: sealed, lastStep: 0 } });
  return { secret, uri: totpFor(secret, input.email, input.issuer).toString() };
}

export async function confirmTwoFactor(deps: TwoFactorDeps, input: { staffId: string; code: string }): Promise<void> {
  const [row] = await deps.db.select().from(staffTwoFactor).where(eq(staffTwoFactor.staffId, input.staffId));
  if (!row || row.confirmedAt) {
    throw new Conflict("TWO_FACTOR_NOT_PENDING", "There is no two-factor setup waiting to be confirmed", {
      help: "Start the setup again",
    });
  }
  if (!(await useCode(deps, input.staffId, row.secret, input.code))) throw wrongCode();
  await deps.db
    .update(staffTwoFactor)
    .set({ confirmedAt: deps.clock.now() })
    .where(eq(staffTwoFactor.staffId, input.staffId));
}

export async function disableTwoFactor(deps: TwoFactorDeps, input: { staffId: string; code: string }): Promise<void> {
  if (!(await checkTwoFactorCode(deps, input))) throw wrongCode();
  await deps.db.delete(staffTwoFactor).where(eq(staffTwoFactor.staffId, input.staffId));
}

/** Whether `code` is the staff member's current code (one step of drift either way), used at most once. */
export async function checkTwoFactorCode(
  deps: TwoFactorDeps,
  input: { staffId: string; code: string },
): Promise<boolean> {
  const [row] = await deps.db
    .select({ secret: staffTwoFactor.secret })
    .from(staffTwoFactor)
    .where(and(eq(staffTwoFactor.staffId, input.staffId), isNotNull(staffTwoFactor.confirmedAt)));
  return row ? useCode(deps, input.staffId, row.secret, input.code) : false;
}

/** For an operator whose staff member lost the device (or after SESSION_SECRET changed): off, no code asked. */
export async function removeTwoFactor(db: Db, staffId: string): Promise<boolean> {
  const removed = await db
    .delete(staffTwoFactor)
    .where(eq(staffTwoFactor.staffId, staffId))
    .returning({ staffId: staffTwoFactor.staffId });
  return removed.length > 0;
}

async function useCode(deps: TwoFactorDeps, staffId: string, stored: string, code: string): Promise<boolean> {
  const secret = openSecret(stored, deps.sessionSecret);
  if (secret === null) return false;
  const timestamp = deps.clock.now().getTime();
  const totp = totpFor(secret, "", "");
  const delta = totp.validate({ token: code, timestamp, window: 1 });
  if (delta === null) return false;
  const step = totp.counter({ timestamp }) + delta;
  // One UPDATE: a code already used (or an older one) matches no row, even when two requests race.
  const used = await deps.db
    .update(staffTwoFactor)
    .set({ lastStep: step })
    .where(and(eq(staffTwoFactor.staffId, staffId), lt(staffTwoFactor.lastStep, step)))
    .returning({ staffId: staffTwoFactor.staffId });
  return used.length > 0;
}

function wrongCode(): Invalid {
  return new Invalid("TWO_FACTOR_CODE_WRONG", "That code is not right, or was already used", {
    property: "code",
    help: "Enter the 6-digit code your authenticator app shows now",
  });
}
