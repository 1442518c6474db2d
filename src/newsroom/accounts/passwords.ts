/** argon2id password hashes, and the checks a new password must pass. */
import { hash, verify } from "@node-rs/argon2";
import { Invalid } from "../../shared/errors.js";

export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  // argon2id with the library's defaults (19 MiB, 2 passes), OWASP's recommended minimum.
  return hash(password);
}

// Checked when an address has no account or no password, so a wrong address costs as long as a wrong password.
const dummyHash = hash("no account has this password");

/** Whether `password` matches `passwordHash`; without a hash it still does the same work and says no. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Invalid("PASSWORD_TOO_SHORT", `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters`, {
      property: "password",
    });
  }
}
