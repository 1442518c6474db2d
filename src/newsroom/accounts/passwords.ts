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

/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;

/** Whose password it is: their own address and name are the first things a guesser tries. */
export type PasswordOwner = { email: string; name?: string | undefined };

/**
 * Refuses a new staff password that is short, common, a known pattern (keyboard rows, dates, l33t spellings of
 * dictionary words) or made from the account's own email or name: zxcvbn must score it 3 or more. The message
 * says what is weak, in zxcvbn's words.
 */
export async function checkNewPassword(password: string, owner: PasswordOwner): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Invalid("PASSWORD_TOO_SHORT", `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters`, {
      property: "password",
    });
  }
  // Loaded on first use, then cached by the module system: start-up never reads the dictionaries.
  const { passwordEstimator } = await import("./password-estimator.js");
  const { score, feedback } = passwordEstimator.check(password, ownWords(owner));
  if (score >= MIN_PASSWORD_SCORE) return;
  const advice = feedback.suggestions.length
    ? feedback.suggestions.join(" ")
    : "Use four or more unrelated words, or a password manager's suggestion.";
  throw new Invalid(
    "PASSWORD_TOO_WEAK",
    ["This password is too easy to guess.", feedback.warning, advice].filter(Boolean).join(" "),
    { property: "password", help: "Use four or more unrelated words, or a password manager's suggestion" },
  );
}

/** The address, its parts and the name's words: "jane.doe@paper.example" also rules out "janedoe2024", "paper". */
function ownWords(owner: PasswordOwner): string[] {
  const email = owner.email.trim().toLowerCase();
  const [local = "", domain = ""] = email.split("@");
  const name = owner.name?.trim().toLowerCase() ?? "";
  const site = domain.split(".")[0] ?? "";
  const words = [email, local, local.replace(/[^a-z0-9]/g, ""), domain, site, name, name.replace(/\s+/g, "")];
  words.push(...`${local} ${domain} ${name}`.split(/[^\p{L}\p{N}]+/u));
  return [...new Set(words.filter((w) => w.length >= 3))];
}
