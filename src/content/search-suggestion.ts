/**
 * "Did you mean …": each of the reader's words that no reader-visible text holds, replaced by the closest word
 * that one does (pg_trgm's similarity over search_words, accents folded). The list holds only words any reader
 * may read, so a suggestion never names a word from a gated part.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";

/** Words looked up at most: a query is short, and each word is one index read. */
const MAX_WORDS = 8;
const WORD = /[\p{L}\p{N}]{3,40}/gu;

export async function spellingSuggestion(db: Queryable, text: string): Promise<string | undefined> {
  const words = [...new Set(text.match(WORD) ?? [])].slice(0, MAX_WORDS);
  if (words.length === 0) return undefined;
  const rows = await queryRows<{ word: string; closest: string | null }>(
    db,
    sql`SELECT q.word, CASE WHEN search_fold(near.word) <> search_fold(q.word) THEN near.word END AS closest
          FROM json_array_elements_text(${JSON.stringify(words)}::json) AS q(word)
          LEFT JOIN LATERAL (
            SELECT w.word FROM search_words w
             WHERE search_fold(w.word) % search_fold(q.word)
             ORDER BY similarity(search_fold(w.word), search_fold(q.word)) DESC, w.word
             LIMIT 1) AS near ON true`,
  );
  const replacements = new Map<string, string>();
  for (const { word, closest } of rows) {
    if (closest) replacements.set(word, closest);
  }
  if (replacements.size === 0) return undefined;
  return text.replace(WORD, (word) => replacements.get(word) ?? word);
}
