/**
 * Double opt-in from a newsletter's page: an address asks, a signed link is emailed (through the mail queue),
 * and the address receives the newsletter only once the link is used. Limited as sign-in links are.
 */
import type { Db } from "../db/index.js";
import { withTransaction } from "../db/index.js";
import { type Brand, type Mailer, newsletterConfirmEmail } from "../email/index.js";
import { reserveAttempts } from "../limits/index.js";
import * as members from "../members/index.js";
import type { Clock } from "../shared/clock.js";
import { Invalid } from "../shared/errors.js";
import { chooseDefaults, recordChoice } from "./choices.js";
import { findActiveNewsletterBySlug, getNewsletter, type Newsletter } from "./manage-newsletters.js";
import { CONFIRM_VALID_HOURS, readLink, signLink } from "./signed-links.js";

export type SignUpDeps = { db: Db; clock: Clock; mailer: Mailer; sessionSecret: string; publicUrl: string };

export type SignUpResult = { kind: "sent"; email: string } | { kind: "limited"; retryAfterSeconds: number };

const WINDOW_MS = 15 * 60_000;

/** The newsletter a page may sign readers up to: active and free (paid ones are chosen by subscribers on /account). */
export function canSignUpFromPage(newsletter: Newsletter): boolean {
  return newsletter.status === "active" && newsletter.visibility === "free";
}

export async function requestNewsletterSignUp(
  deps: SignUpDeps,
  input: { slug: string; email: string; ip: string; brand: Brand },
): Promise<SignUpResult> {
  const email = members.normalizeEmail(input.email);
  const newsletter = await findActiveNewsletterBySlug(deps.db, input.slug);
  if (!newsletter || !canSignUpFromPage(newsletter)) {
    throw new Invalid("NEWSLETTER_NOT_AVAILABLE", "This newsletter cannot be signed up to here.", {
      property: "newsletter",
    });
  }
  const reservation = await reserveAttempts(deps, [
    { scope: "newsletter-link:email", key: email, limit: members.LINK_LIMITS.perEmail, windowMs: WINDOW_MS },
    { scope: "newsletter-link:ip", key: input.ip, limit: members.LINK_LIMITS.perIp, windowMs: WINDOW_MS },
  ]);
  if (reservation.kind === "limited") return { kind: "limited", retryAfterSeconds: reservation.retryAfterSeconds };
  const expiresAt = deps.clock.now().getTime() + CONFIRM_VALID_HOURS * 3_600_000;
  const token = signLink(deps.sessionSecret, { kind: "confirm", email, newsletterId: newsletter.id, expiresAt });
  const message = newsletterConfirmEmail(input.brand, {
    url: `${deps.publicUrl}/newsletters/confirm?token=${token}`,
    newsletterName: newsletter.name,
    validHours: CONFIRM_VALID_HOURS,
  });
  await deps.mailer.send({ ...message, to: email });
  return { kind: "sent", email };
}

export function confirmLinkInvalid(): Invalid {
  return new Invalid("LINK_INVALID", "This confirmation link is not valid, or has expired.", {
    help: `A link works for ${CONFIRM_VALID_HOURS} hours: sign up again on the newsletter's page.`,
  });
}

/** The sign-up a link confirms, read without using it (the page with the button). */
export async function checkConfirmLink(deps: SignUpDeps, token: string): Promise<Newsletter> {
  const claim = readLink(deps.sessionSecret, token, deps.clock.now());
  if (claim?.kind !== "confirm") throw confirmLinkInvalid();
  const newsletter = await getNewsletter(deps.db, claim.newsletterId).catch(() => undefined);
  if (!newsletter || !canSignUpFromPage(newsletter)) throw confirmLinkInvalid();
  return newsletter;
}

/**
 * Uses the link: the address becomes a member when it is not one (with the default newsletters, as at
 * registration) and receives the newsletter. Using it twice changes nothing more.
 */
export async function confirmNewsletterSignUp(
  deps: SignUpDeps,
  token: string,
): Promise<{ newsletter: Newsletter; member: members.Member; isNewMember: boolean }> {
  const newsletter = await checkConfirmLink(deps, token);
  const claim = readLink(deps.sessionSecret, token, deps.clock.now());
  if (claim?.kind !== "confirm") throw confirmLinkInvalid();
  const at = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const { member, isNew } = await members.ensureVerifiedMember(tx, { email: claim.email, now: at });
    if (isNew) await chooseDefaults(tx, { memberId: member.id, at });
    await recordChoice(tx, {
      memberId: member.id,
      newsletterId: newsletter.id,
      isSubscribed: true,
      source: "page",
      at,
    });
    return { newsletter, member, isNewMember: isNew };
  });
}
