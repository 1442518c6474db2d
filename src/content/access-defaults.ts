/** Where a new article's access starts: the defaults set for its kind and its section, the stricter winning. */
import { eq } from "drizzle-orm";
import { type Db, type Queryable, withTransaction } from "../db/index.js";
import { Invalid } from "../shared/errors.js";
import { resplitPreviews } from "./resplit-previews.js";
import { sections, siteSettings } from "./schema.js";
import type { AccessDefault, ArticleKind, KindAccessDefaults, PaywallTexts } from "./types.js";
import { ACCESS_LEVELS } from "./types.js";

const NO_RULE: AccessDefault = { accessLevel: "public", isMetered: false };

/**
 * Two rules disagreeing (analysis is paid, the Sport section is free) give the stricter level; at the same level
 * an article is metered only if both rules meter it, so a hard paywall is never softened by the other rule.
 */
export function inheritedAccess(kindRule: AccessDefault | undefined, sectionRule: AccessDefault | null): AccessDefault {
  const rules = [kindRule, sectionRule].filter((r): r is AccessDefault => Boolean(r));
  if (rules.length === 0) return NO_RULE;
  const rank = (r: AccessDefault) => ACCESS_LEVELS.indexOf(r.accessLevel);
  const strictest = Math.max(...rules.map(rank));
  const atThatLevel = rules.filter((r) => rank(r) === strictest);
  return { accessLevel: ACCESS_LEVELS[strictest]!, isMetered: atThatLevel.every((r) => r.isMetered) };
}

export async function accessDefaultFor(db: Queryable, sectionId: string, kind: ArticleKind): Promise<AccessDefault> {
  const [section] = await db
    .select({ level: sections.defaultAccessLevel, metered: sections.defaultMetered })
    .from(sections)
    .where(eq(sections.id, sectionId));
  const [settings] = await db.select({ byKind: siteSettings.kindAccessDefaults }).from(siteSettings);
  const sectionRule = section?.level ? { accessLevel: section.level, isMetered: section.metered } : null;
  return inheritedAccess(settings?.byKind[kind], sectionRule);
}

export type PaywallSettingsInput = {
  anonymousAllowance?: number;
  registeredAllowance?: number;
  previewParagraphs?: number;
  kindAccessDefaults?: KindAccessDefaults;
  paywallTexts?: PaywallTexts;
};

export const MAX_ALLOWANCE = 50;

/** Saves the paywall settings; a changed preview length re-splits the articles that have no divider. */
export async function updatePaywallSettings(db: Db, input: PaywallSettingsInput): Promise<void> {
  for (const [property, value] of [
    ["anonymousAllowance", input.anonymousAllowance],
    ["registeredAllowance", input.registeredAllowance],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_ALLOWANCE)) {
      throw new Invalid("ALLOWANCE_OUT_OF_RANGE", `An allowance is a whole number from 0 to ${MAX_ALLOWANCE}`, {
        property,
      });
    }
  }
  if (input.previewParagraphs !== undefined && !(input.previewParagraphs >= 1 && input.previewParagraphs <= 20)) {
    throw new Invalid("PREVIEW_OUT_OF_RANGE", "A preview is 1 to 20 paragraphs", { property: "previewParagraphs" });
  }
  await withTransaction(db, async (tx) => {
    const [before] = await tx.select({ previewParagraphs: siteSettings.previewParagraphs }).from(siteSettings);
    await tx.update(siteSettings).set(input).where(eq(siteSettings.id, 1));
    if (input.previewParagraphs !== undefined && input.previewParagraphs !== before?.previewParagraphs) {
      await resplitPreviews(tx, input.previewParagraphs);
    }
  });
}
