/** Who may read the gated part of an article, and what the meter allows. Pure: no database, no HTTP, no clock. */
import type { AccessLevel } from "../content/index.js";

export type Reader = { kind: "anonymous" } | { kind: "member"; isSubscriber: boolean } | { kind: "staff" };

/** `isMetered` is left out by channels that have no meter: for them a metered article is a preview. */
export type ArticleAccess = { accessLevel: AccessLevel; isMetered?: boolean; hasGatedPart: boolean };

/** What the reader is asked to do to read on. */
export type Ask = "register" | "subscribe";

/**
 * Before the meter: `metered` means the reader lacks the level but may read while their monthly allowance lasts.
 * Channels without a meter (feeds, the Content API, search) treat anything but `full` as the preview.
 */
export type AccessDecision = { kind: "full" } | { kind: "preview"; ask: Ask } | { kind: "metered"; ask: Ask };

export function decideAccess(reader: Reader, article: ArticleAccess): AccessDecision {
  if (!article.hasGatedPart || article.accessLevel === "public" || reader.kind === "staff") return { kind: "full" };
  const mayRead =
    article.accessLevel === "registered" ? reader.kind === "member" : reader.kind === "member" && reader.isSubscriber;
  if (mayRead) return { kind: "full" };
  const ask: Ask = article.accessLevel === "registered" ? "register" : "subscribe";
  return article.isMetered ? { kind: "metered", ask } : { kind: "preview", ask };
}

/** This month's metered reads, as the reader's meter (cookie or server) reports them before this read. */
export type MeterTally = {
  allowance: number;
  /** Articles counted this month, this one included if `alreadyCounted`. */
  used: number;
  alreadyCounted: boolean;
  /** The first day of next month in the site's time zone, `YYYY-MM-DD`. */
  renewsOn: string;
};

/** What the page shows: the whole article (with the meter's count when it was a metered read) or the preview. */
export type AccessOutcome =
  | { kind: "full"; meter?: { remaining: number; allowance: number } }
  | { kind: "preview"; ask: Ask; exhausted?: { allowance: number; renewsOn: string } };

/** The outcome of a metered read, and whether this read is a new one for the meter to count. */
export function meteredOutcome(ask: Ask, tally: MeterTally): { outcome: AccessOutcome; counts: boolean } {
  const { allowance, used } = tally;
  if (tally.alreadyCounted) {
    return { outcome: { kind: "full", meter: { remaining: Math.max(0, allowance - used), allowance } }, counts: false };
  }
  if (used < allowance) {
    return { outcome: { kind: "full", meter: { remaining: allowance - used - 1, allowance } }, counts: true };
  }
  // An allowance of 0 is a hard paywall: there was nothing to use up, so the wall does not say there was.
  const exhausted = allowance > 0 ? { allowance, renewsOn: tally.renewsOn } : undefined;
  return { outcome: { kind: "preview", ask, ...(exhausted ? { exhausted } : {}) }, counts: false };
}

/** The outcome of a decision that needs no meter. */
export function unmeteredOutcome(decision: Exclude<AccessDecision, { kind: "metered" }>): AccessOutcome {
  return decision.kind === "full" ? { kind: "full" } : { kind: "preview", ask: decision.ask };
}

/**
 * A stable name for an outcome: the page cache keeps one variant per outcome, never per reader. The meter's
 * remaining count and the renewal date are part of it, because the page shows them.
 */
export function outcomeKey(outcome: AccessOutcome): string {
  if (outcome.kind === "full")
    return outcome.meter ? `full-${outcome.meter.remaining}of${outcome.meter.allowance}` : "full";
  const base = `preview-${outcome.ask}`;
  return outcome.exhausted ? `${base}-exhausted-${outcome.exhausted.allowance}-${outcome.exhausted.renewsOn}` : base;
}
