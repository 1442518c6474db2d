/**
 * A new preview length applies to the articles already written: every article without a divider of its own is
 * split again, and its search vector, which holds only the readable part, follows.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Tx } from "../db/index.js";
import { refreshSearchVector } from "./derived.js";
import type { ArticleDocument } from "./document/nodes.js";
import { renderBody } from "./document/render-html.js";
import { articles } from "./schema.js";

const BATCH = 200;

/** Splits every article that has no "preview ends here" divider after `previewParagraphs`; the number split. */
export async function resplitPreviews(tx: Tx, previewParagraphs: number): Promise<number> {
  let after = "00000000-0000-0000-0000-000000000000";
  let count = 0;
  for (;;) {
    const rows = await tx
      .select({ id: articles.id, bodyDoc: articles.bodyDoc, status: articles.status })
      .from(articles)
      .where(
        and(
          gt(articles.id, after),
          sql`NOT (${articles.bodyDoc} -> 'content' @> '[{"type":"previewBoundary"}]'::jsonb)`,
        ),
      )
      .orderBy(asc(articles.id))
      .limit(BATCH);
    if (rows.length === 0) return count;
    for (const row of rows) {
      await tx
        .update(articles)
        .set(renderBody(row.bodyDoc as ArticleDocument, previewParagraphs))
        .where(eq(articles.id, row.id));
      if (row.status === "published") await refreshSearchVector(tx, row.id);
    }
    count += rows.length;
    after = rows.at(-1)!.id;
  }
}
