/** Members' choices of newsletters: what each may choose, what they chose, and when and how they chose it. */
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Invalid } from "../shared/errors.js";
import { listActiveNewsletters, type Newsletter } from "./manage-newsletters.js";
import { newsletterSubscriptions, newsletters, type SUBSCRIPTION_SOURCES } from "./schema.js";

export type ChoiceSource = (typeof SUBSCRIPTION_SOURCES)[number];

/** An active newsletter as one member sees it: whether they receive it, and whether they may choose it. */
export type NewsletterChoice = {
  newsletter: Newsletter;
  isSubscribed: boolean;
  /** False for a paid newsletter and a member without paid access. */
  isAvailable: boolean;
};

export async function listChoices(
  db: Queryable,
  input: { memberId: string; hasPaidAccess: boolean },
): Promise<NewsletterChoice[]> {
  const [active, rows] = await Promise.all([
    listActiveNewsletters(db),
    db
      .select({ id: newsletterSubscriptions.newsletterId })
      .from(newsletterSubscriptions)
      .where(and(eq(newsletterSubscriptions.memberId, input.memberId), eq(newsletterSubscriptions.isSubscribed, true))),
  ]);
  const chosen = new Set(rows.map((r) => r.id));
  return active.map((newsletter) => ({
    newsletter,
    isSubscribed: chosen.has(newsletter.id),
    isAvailable: newsletter.visibility === "free" || input.hasPaidAccess,
  }));
}

type Change = { memberId: string; newsletterId: string; isSubscribed: boolean; source: ChoiceSource; at: Date };

/** Writes one choice; a row already saying the same is left as it was, so its time and source stay the first. */
export async function recordChoice(db: Queryable, change: Change): Promise<void> {
  await db
    .insert(newsletterSubscriptions)
    .values({
      memberId: change.memberId,
      newsletterId: change.newsletterId,
      isSubscribed: change.isSubscribed,
      source: change.source,
      changedAt: change.at,
    })
    .onConflictDoUpdate({
      target: [newsletterSubscriptions.newsletterId, newsletterSubscriptions.memberId],
      set: { isSubscribed: change.isSubscribed, source: change.source, changedAt: change.at },
      setWhere: sql`${newsletterSubscriptions.isSubscribed} <> ${change.isSubscribed}`,
    });
}

/**
 * Saves a member's whole list (the account page, the preference page): every active newsletter they may choose
 * is on or off. An id that is no active newsletter, or a paid one without paid access, is refused with nothing saved.
 */
export async function saveChoices(
  db: Queryable,
  input: { memberId: string; chosenIds: readonly string[]; hasPaidAccess: boolean; source: ChoiceSource; at: Date },
): Promise<void> {
  const choices = await listChoices(db, input);
  const choosable = new Set(choices.filter((c) => c.isAvailable).map((c) => c.newsletter.id));
  const refused = input.chosenIds.find((id) => !choosable.has(id));
  if (refused !== undefined) {
    throw new Invalid("NEWSLETTER_NOT_AVAILABLE", "One of the newsletters chosen cannot be chosen.", {
      property: "newsletters",
      help: "Reload the page: a newsletter may have been archived, or be for subscribers only.",
    });
  }
  for (const choice of choices) {
    if (!choice.isAvailable && !choice.isSubscribed) continue;
    const isSubscribed = input.chosenIds.includes(choice.newsletter.id);
    if (isSubscribed === choice.isSubscribed) continue;
    await recordChoice(db, { ...input, newsletterId: choice.newsletter.id, isSubscribed });
  }
}

/** A new member receives the active default newsletters they may read (free ones: a new member has not paid). */
export async function chooseDefaults(db: Queryable, input: { memberId: string; at: Date }): Promise<void> {
  const defaults = await db
    .select({ id: newsletters.id })
    .from(newsletters)
    .where(and(eq(newsletters.isDefault, true), eq(newsletters.status, "active"), eq(newsletters.visibility, "free")));
  if (defaults.length === 0) return;
  await db
    .insert(newsletterSubscriptions)
    .values(
      defaults.map((d) => ({
        memberId: input.memberId,
        newsletterId: d.id,
        isSubscribed: true,
        source: "signup" as const,
        changedAt: input.at,
      })),
    )
    .onConflictDoNothing();
}

/** The member ids receiving a newsletter, in id order, after `after` (batches for a send). */
export async function listSubscribedMemberIds(
  db: Queryable,
  input: { newsletterId: string; after: string | undefined; limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ id: newsletterSubscriptions.memberId })
    .from(newsletterSubscriptions)
    .where(
      and(
        eq(newsletterSubscriptions.newsletterId, input.newsletterId),
        eq(newsletterSubscriptions.isSubscribed, true),
        input.after ? sql`${newsletterSubscriptions.memberId} > ${input.after}` : undefined,
      ),
    )
    .orderBy(newsletterSubscriptions.memberId)
    .limit(input.limit);
  return rows.map((r) => r.id);
}
