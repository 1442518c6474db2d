/**
 * An article's words as readers get them: typography applied on save, in the paper's language, unless the editor
 * turned it off for the article (then they are kept as typed).
 */
import type { Tx } from "../db/index.js";
import type { ArticleDocument } from "./document/nodes.js";
import { typesetDocument, typesetText } from "./document/typeset.js";
import { siteSettings } from "./schema.js";

export async function typesetFields<
  F extends { title: string; dek?: string; body: ArticleDocument; smartTypography?: boolean },
>(tx: Tx, fields: F): Promise<F> {
  if (fields.smartTypography === false) return fields;
  const [settings] = await tx.select({ language: siteSettings.language }).from(siteSettings);
  const language = settings?.language ?? "en";
  return {
    ...fields,
    title: typesetText(fields.title, language),
    ...(fields.dek !== undefined ? { dek: typesetText(fields.dek, language) } : {}),
    body: typesetDocument(fields.body, language),
  };
}
