/**
 * The link in every issue (`/newsletters/unsubscribe?token=…`), signed per member and newsletter: a POST
 * unsubscribes at once without signing in (RFC 8058's one-click), a GET opens the member's preferences.
 */
import type { Db } from "../db/index.js";
import * as members from "../members/index.js";
import type { Clock } from "../shared/clock.js";
import { Invalid } from "../shared/errors.js";
import { listChoices, type NewsletterChoice, recordChoice, saveChoices } from "./choices.js";
import { getNewsletter, type Newsletter } from "./manage-newsletters.js";
import { readLink } from "./signed-links.js";

type Deps = { db: Db; clock: Clock; sessionSecret: string };

export type ManagedChoices = { member: members.Member; newsletter: Newsletter; choices: NewsletterChoice[] };

function manageLinkInvalid(): Invalid {
  return new Invalid("LINK_INVALID", "This link is not valid: it may have been cut or changed.", {
    help: "Open the link from the email again, whole, or sign in and choose your newsletters on your account page.",
  });
}

async function open(deps: Deps, token: string) {
  const claim = readLink(deps.sessionSecret, token, deps.clock.now());
  if (claim?.kind !== "manage") throw manageLinkInvalid();
  const member = await members.findMemberById(deps.db, claim.memberId);
  const newsletter = member && (await getNewsletter(deps.db, claim.newsletterId).catch(() => undefined));
  if (!member || !newsletter) throw manageLinkInvalid();
  const hasPaidAccess = members.entitlementOf(member, deps.clock.now()).entitlement !== "registered";
  return { member, newsletter, hasPaidAccess };
}

export async function openManageLink(deps: Deps, token: string): Promise<ManagedChoices> {
  const { member, newsletter, hasPaidAccess } = await open(deps, token);
  return { member, newsletter, choices: await listChoices(deps.db, { memberId: member.id, hasPaidAccess }) };
}

/** One click: the member stops receiving the link's newsletter (again: nothing changes). */
export async function unsubscribeByLink(deps: Deps, token: string): Promise<Newsletter> {
  const { member, newsletter } = await open(deps, token);
  await recordChoice(deps.db, {
    memberId: member.id,
    newsletterId: newsletter.id,
    isSubscribed: false,
    source: "unsubscribe-link",
    at: deps.clock.now(),
  });
  return newsletter;
}

/** The preference page's form: the member's whole list, as on /account. */
export async function savePreferencesByLink(
  deps: Deps,
  input: { token: string; chosenIds: readonly string[] },
): Promise<void> {
  const { member, hasPaidAccess } = await open(deps, input.token);
  await saveChoices(deps.db, {
    memberId: member.id,
    chosenIds: input.chosenIds,
    hasPaidAccess,
    source: "preferences",
    at: deps.clock.now(),
  });
}
