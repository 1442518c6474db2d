/** Who may read the gated part of an article. Pure: no database, no HTTP. */
import type { AccessLevel } from "../content/index.js";

export type Reader = { kind: "anonymous" } | { kind: "member"; isSubscriber: boolean } | { kind: "staff" };

export type ArticleAccess = { accessLevel: AccessLevel; hasGatedPart: boolean };

/** What the reader is asked to do to read on. */
export type Ask = "register" | "subscribe";

export type AccessOutcome = { kind: "full" } | { kind: "preview"; ask: Ask };

export function decideAccess(reader: Reader, article: ArticleAccess): AccessOutcome {
  if (!article.hasGatedPart || article.accessLevel === "public" || reader.kind === "staff") return { kind: "full" };
  if (article.accessLevel === "registered") {
    return reader.kind === "member" ? { kind: "full" } : { kind: "preview", ask: "register" };
  }
  return reader.kind === "member" && reader.isSubscriber ? { kind: "full" } : { kind: "preview", ask: "subscribe" };
}

/** A stable name for an outcome: the page cache keeps one variant per outcome, never per reader. */
export function outcomeKey(outcome: AccessOutcome): string {
  return outcome.kind === "full" ? "full" : `preview-${outcome.ask}`;
}
