/**
 * Full-text search over what any reader may read: headline, dek, tags, authors and the preview. The gated
 * part is neither indexed nor used for snippets, so search cannot reveal it.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import type { Page } from "../shared/types.js";
import { searchConfigFor } from "./derived.js";
import { SUMMARY_COLUMNS, toSummary } from "./queries.js";
import type { ArticleKind, ArticleSummary } from "./types.js";

export type SearchInput = {
  text: string;
  sectionSlug?: string;
  kind?: ArticleKind;
  authorSlug?: string;
  from?: Date;
  to?: Date;
  page: number;
};

/** A result: the article, and its snippet as HTML with the matches in <mark>. */
export type SearchHit = { article: ArticleSummary; snippetHtml: string };

export const SEARCH_PAGE_SIZE = 10;
const MAX_QUERY_CHARS = 256;
const MAX_PREFIX_WORDS = 8;
// Control characters mark the matches in ts_headline's output so the text can be escaped before <mark> goes in.
const MARK_START = "\u0001";
const MARK_END = "\u0002";

/**
 * The reader's words as a tsquery: PostgreSQL's web-search syntax ("quoted phrases", or, -not), and, unless the
 * reader quoted a phrase, every word also as a prefix so "negotiat" finds "negotiations". Stored words are
 * stems ("negoti"), so a long prefix loses its last two letters and is matched as typed ('simple'), not stemmed.
 * The prefix part is built from letters and digits only.
 */
function readerQuery(config: string, text: string): SQL | undefined {
  const words = (text.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_PREFIX_WORDS);
  if (words.length === 0) return undefined;
  const web = sql`websearch_to_tsquery(${config}::regconfig, ${text})`;
  if (text.includes('"')) return web;
  const prefix = words
    .map((w) => w.toLowerCase())
    .map((w) => `'${w.length >= 6 ? w.slice(0, -2) : w}':*`)
    .join(" & ");
  return sql`(${web} || to_tsquery('simple', ${prefix}))`;
}

export async function searchArticles(db: Queryable, input: SearchInput): Promise<Page<SearchHit>> {
  const text = input.text.slice(0, MAX_QUERY_CHARS).trim();
  const [settings] = await queryRows<{ language: string }>(db, sql`SELECT language FROM site_settings WHERE id = 1`);
  const config = searchConfigFor(settings?.language ?? "en");
  const query = readerQuery(config, text);
  if (!query) return { items: [], page: input.page, pages: 1, total: 0 };
  const filters: SQL[] = [sql`a.status = 'published'`, sql`a.search_vector @@ q.query`];
  if (input.sectionSlug) filters.push(sql`s.slug = ${input.sectionSlug}`);
  if (input.kind) filters.push(sql`a.kind = ${input.kind}`);
  if (input.authorSlug) {
    filters.push(
      sql`EXISTS (SELECT 1 FROM article_authors w JOIN staff st ON st.id = w.staff_id WHERE w.article_id = a.id AND st.slug = ${input.authorSlug})`,
    );
  }
  if (input.from) filters.push(sql`a.published_at >= ${input.from}`);
  if (input.to) filters.push(sql`a.published_at < ${input.to}`);
  // Rank every match cheaply, then build summaries and snippets (the costly part) for one page only.
  const rows = await queryRows(
    db,
    sql`WITH q AS (SELECT ${query} AS query),
        page AS (
          SELECT a.id,
                 -- A match in the headline (weight A) outranks any number of matches elsewhere.
                 (ts_filter(a.search_vector, '{a}') @@ q.query)::int AS in_title,
                 ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search_vector, q.query) AS rank,
                 a.published_at,
                 count(*) OVER () AS total
            FROM articles a JOIN sections s ON s.id = a.section_id, q
           WHERE ${sql.join(filters, sql` AND `)}
           ORDER BY in_title DESC, rank DESC, a.published_at DESC
           LIMIT ${SEARCH_PAGE_SIZE} OFFSET ${(input.page - 1) * SEARCH_PAGE_SIZE})
        SELECT ${SUMMARY_COLUMNS},
               ts_headline(${config}::regconfig, a.dek || ' ' || a.preview_text, q.query,
                 ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) AS snippet,
               page.total
          FROM page JOIN articles a ON a.id = page.id JOIN sections s ON s.id = a.section_id, q
         ORDER BY page.in_title DESC, page.rank DESC, page.published_at DESC`,
  );
  const total = Number(rows[0]?.total ?? 0);
  return {
    items: rows.map((r) => ({ article: toSummary(r), snippetHtml: markSnippet(String(r.snippet ?? "")) })),
    page: input.page,
    pages: Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE)),
    total,
  };
}

function markSnippet(raw: string): string {
  const escaped = raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return escaped.replaceAll(MARK_START, "<mark>").replaceAll(MARK_END, "</mark>");
}
