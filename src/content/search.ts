/**
 * Full-text search over the whole article: headline, dek, tags, the text (gated part included) and authors, with
 * accents folded. Every reader sees that an article matches; its snippet comes from the whole text only for a
 * reader who may read that (the caller says which access levels, from the paywall's decision), otherwise from the
 * dek and preview, so no snippet shows a gated word to a reader without access.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import type { Page } from "../shared/types.js";
import { searchConfigFor } from "./derived.js";
import { SUMMARY_COLUMNS, toSummary } from "./queries.js";
import { spellingSuggestion } from "./search-suggestion.js";
import type { AccessLevel, ArticleKind, ArticleSummary } from "./types.js";

/** Best matches first (headline matches before the rest), or newest first. */
export const SEARCH_ORDERS = ["relevance", "newest"] as const;
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

export type SearchInput = {
  text: string;
  /** The site's language (its settings'), which chooses the stemming. */
  language: string;
  sectionSlug?: string;
  kind?: ArticleKind;
  authorSlug?: string;
  from?: Date;
  to?: Date;
  order: SearchOrder;
  /** The access levels whose gated part this reader may read (paywall's decideAccess); snippets follow it. */
  readableLevels: readonly AccessLevel[];
  page: number;
};

/** A result: the article, and its snippet as HTML with the matches in <mark>. */
export type SearchHit = { article: ArticleSummary; snippetHtml: string };

/** A page of results; with none, the reader's words spelled as words any reader may read, when some differ. */
export type SearchResults = Page<SearchHit> & { suggestion?: string };

export const SEARCH_PAGE_SIZE = 10;
/**
 * Results shown for one query, at most. Matches are taken newest first and stop here, so a common word costs
 * no more than a rare one; past this the reader is asked to narrow the search.
 */
export const SEARCH_MAX_RESULTS = 100;
export const SEARCH_MAX_PAGES = SEARCH_MAX_RESULTS / SEARCH_PAGE_SIZE;
const MAX_QUERY_CHARS = 256;
/** How many of the newest articles a word is first looked for in, before the text index is read. */
export const WORD_WALK = 1000;
/** How many of the newest articles a phrase without word pairs is first looked for in. */
const PHRASE_WALK = 3000;
/** The length of the text a snippet is cut from (articles.snippet_text is cut at the same length). */
const SNIPPET_TEXT_CHARS = 2000;
const SCHWA = "əƏ";
// "ǟ" and "Ǟ" (Livonian letters): unaccent folds them to "a" and "A". A text holding them shows schwas instead.
const SCHWA_STAND_IN = "\u01df\u01de";
// Control characters mark the matches in ts_headline's output so the text can be escaped before <mark> goes in.
const MARK_START = "\u0001";
const MARK_END = "\u0002";

/** The reader's text as search takes it: control characters (NUL included, which PostgreSQL refuses) are spaces. */
export function searchText(raw: string): string {
  return raw
    .replace(/\p{Cc}/gu, " ")
    .slice(0, MAX_QUERY_CHARS)
    .trim();
}

/**
 * The reader's words as a tsquery: PostgreSQL's web-search syntax ("quoted phrases", or, -not), and the last
 * word, the one being typed, also as a prefix, so "negotiat" finds "negotiations". Stored words are stems
 * ("negoti"), so a long prefix loses its last two letters and is matched as typed ('simple'), not stemmed.
 * A quoted or excluded last word is taken as written. The prefix is built from letters and digits only.
 */
function readerQuery(config: string, text: string): { query: SQL; required: string } | undefined {
  if (!/[\p{L}\p{N}]/u.test(text)) return undefined;
  const web = sql`websearch_to_tsquery(${config}::regconfig, search_fold(${text}))`;
  const typing = /(?:^|\s)([\p{L}\p{N}]{3,})$/u.exec(text);
  if (!typing?.[1] || text.includes('"')) return { query: web, required: text };
  const word = typing[1].toLowerCase();
  const prefix = `'${word.length >= 6 ? word.slice(0, -2) : word}':*`;
  const before = text.slice(0, typing.index);
  return {
    query: sql`(${web} || (websearch_to_tsquery(${config}::regconfig, search_fold(${before}))
                && to_tsquery('simple', search_fold(${prefix}))))`,
    required: before,
  };
}

/**
 * The phrases every match must hold: "quoted" ones and hyphen-joined words, unless excluded with a minus.
 * An "or" could make any of them optional, so with one there are none; so too when quotes are not plainly
 * placed, as the web-search syntax may read them otherwise.
 */
export function requiredPhrases(text: string): string[] {
  if (/(?:^|\s)or(?:\s|$)/iu.test(text)) return [];
  const phrases: string[] = [];
  const rest = text.replace(/(^|\s)(-?)"([^"]*)("|$)/gu, (_match, _space, minus: string, phrase: string) => {
    if (!minus) phrases.push(phrase);
    return " ";
  });
  if (rest.includes('"')) return [];
  for (const word of rest.split(/\s+/u)) {
    if (!word.startsWith("-") && /[\p{L}\p{N}]-[\p{L}\p{N}]/u.test(word)) phrases.push(word);
  }
  return phrases;
}

/** The neighbouring-word pairs of the phrases, as the articles' search_pairs column holds them. */
async function phrasePairs(db: Queryable, config: string, phrases: string[]): Promise<string[]> {
  if (phrases.length === 0) return [];
  const [row] = await queryRows<{ pairs: string[] }>(
    db,
    sql`SELECT coalesce(array_agg(DISTINCT pair), '{}') AS pairs
          FROM json_array_elements_text(${JSON.stringify(phrases)}::json) AS phrase,
               unnest(adjacent_word_pairs(to_tsvector(${config}::regconfig, search_fold(phrase)))) AS pair`,
  );
  return row?.pairs ?? [];
}

/** A text[] literal, each element quoted, so the planner sees the values it estimates from. */
function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}

export async function searchArticles(db: Queryable, input: SearchInput): Promise<SearchResults> {
  const text = searchText(input.text);
  const config = searchConfigFor(input.language);
  const reader = readerQuery(config, text);
  const page = Math.min(input.page, SEARCH_MAX_PAGES);
  if (!reader) return { items: [], page, pages: 1, total: 0 };
  const filters: SQL[] = [sql`a.status = 'published'`];
  if (input.sectionSlug) filters.push(sql`a.section_id = (SELECT id FROM sections WHERE slug = ${input.sectionSlug})`);
  if (input.kind) filters.push(sql`a.kind = ${input.kind}`);
  if (input.authorSlug) {
    filters.push(
      sql`EXISTS (SELECT 1 FROM article_authors w JOIN staff st ON st.id = w.staff_id WHERE w.article_id = a.id AND st.slug = ${input.authorSlug})`,
    );
  }
  if (input.from) filters.push(sql`a.published_at >= ${input.from}`);
  if (input.to) filters.push(sql`a.published_at < ${input.to}`);
  const groups = await matchGroups(db, config, text, reader, sql.join(filters, sql` AND `));
  const rows = await queryRows(db, pageOfHits(config, reader.query, groups, input, page));
  const total = Number(rows[0]?.total ?? 0);
  const pages = Math.max(1, Math.min(SEARCH_MAX_PAGES, Math.ceil(total / SEARCH_PAGE_SIZE)));
  const suggestion = total === 0 ? await spellingSuggestion(db, text) : undefined;
  return {
    items: rows.map((r) => ({ article: toSummary(r), snippetHtml: markSnippet(String(r.snippet ?? "")) })),
    page: Math.min(page, pages),
    pages,
    total,
    ...(suggestion ? { suggestion } : {}),
  };
}

/**
 * The matches in two groups, headline matches first, then the rest; each its newest SEARCH_MAX_RESULTS + 1, so
 * ranking reads a bounded set whatever the word. A phrase holds pairs of neighbouring words, and every match
 * holds those pairs: the pairs index finds the few articles that can match, and the planner estimates from it.
 * Other matches outside the headline are first looked for among the newest articles, then in the text index.
 */
async function matchGroups(
  db: Queryable,
  config: string,
  text: string,
  reader: { query: SQL; required: string },
  where: SQL,
): Promise<SQL[]> {
  const { query } = reader;
  const phrase = /"|[\p{L}\p{N}]-[\p{L}\p{N}]/u.test(text);
  const pairs = phrase ? await phrasePairs(db, config, requiredPhrases(reader.required)) : [];
  const paired = pairs.length > 0 ? sql` AND a.search_pairs @> ${textArrayLiteral(pairs)}::text[]` : sql``;
  const inTitle = sql`a.title_vector @@ ${query}${paired}`;
  const elsewhere = sql`a.search_vector @@ ${query} AND NOT (a.title_vector @@ ${query})${paired}`;
  if (pairs.length > 0) return [newestOf(matching(where, inTitle)), newestOf(matching(where, elsewhere))];
  // Headlines are left to the planner: it reads their index for a rare word, and walking them cost more than it saved.
  if (!phrase) return [newestOf(matching(where, inTitle)), walkThenIndex(where, elsewhere, WORD_WALK)];
  // A phrase without pairs (its words a stop word apart, or "or" in the query) is estimated as if its words only
  // had to appear anywhere. Headlines are short, so their matches come from the text index alone.
  return [newestOf(matching(where, inTitle, INDEX_ONLY)), walkThenIndex(where, elsewhere, PHRASE_WALK)];
}

/** The newest SEARCH_MAX_RESULTS + 1 of `rows` (which select id, published_at and rank_vector). */
function newestOf(rows: SQL): SQL {
  return sql`SELECT m.id, m.published_at, m.rank_vector FROM (${rows}) AS m
              ORDER BY m.published_at DESC NULLS LAST LIMIT ${SEARCH_MAX_RESULTS + 1}`;
}

/** OFFSET 0 keeps the planner from walking the date index for the outer LIMIT: it reads the text index. */
const INDEX_ONLY = sql`OFFSET 0`;

function matching(where: SQL, match: SQL, fence = sql``): SQL {
  return sql`SELECT a.id, a.published_at, a.rank_vector FROM articles a WHERE ${where} AND ${match} ${fence}`;
}

/**
 * The newest matches, first looked for among the newest `walk` articles: a common word has its newest matches
 * there. If fewer are, any others are older than the walk reached, and all of them are read from the text index
 * instead, which costs little for a rare word. Left to itself the planner may guess a rare (or misspelt) word
 * common and walk every article checking each vector. Either way the same matches come out, newest first.
 */
function walkThenIndex(where: SQL, match: SQL, walk: number): SQL {
  const limit = SEARCH_MAX_RESULTS + 1;
  return sql`WITH walked AS MATERIALIZED (
      ${newestOf(sql`SELECT a.id, a.published_at, a.rank_vector FROM (
        SELECT a.id, a.published_at, a.search_vector, a.title_vector, a.rank_vector
          FROM articles a WHERE ${where}
         ORDER BY a.published_at DESC NULLS LAST LIMIT ${walk}) AS a WHERE ${match}`)})
    SELECT * FROM walked WHERE (SELECT count(*) FROM walked) = ${limit}
    UNION ALL
    SELECT * FROM (${newestOf(matching(where, match, INDEX_ONLY))}) AS indexed
     WHERE (SELECT count(*) FROM walked) < ${limit}`;
}

/**
 * The page asked for (or the last there is, as listings do) of the groups' matches, ranked or newest first, each
 * with its snippet: from the whole text when the reader may read it (every level in `readableLevels`, or an
 * article without a gated part), otherwise from the dek and preview alone.
 */
function pageOfHits(config: string, query: SQL, groups: SQL[], input: SearchInput, page: number): SQL {
  const found = groups.map(
    (rows, group) =>
      sql`SELECT f.id, ${group} AS grp, f.published_at,
                 ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', f.rank_vector, ${query}) AS rank
            FROM (${rows}) AS f`,
  );
  const order =
    input.order === "newest"
      ? sql`found.published_at DESC NULLS LAST, found.id`
      : sql`found.grp, found.rank DESC, found.published_at DESC NULLS LAST, found.id`;
  // The schwa swapped for a letter unaccent folds to "a" (and back after), so a match on "Zangazur" in
  // "Zəngəzur" is marked as it was found: search_fold folds the schwa before unaccent, which has no rule for it.
  const headline = (text: SQL) =>
    sql`translate(ts_headline(${config}::regconfig, translate(${text}, ${SCHWA}, ${SCHWA_STAND_IN}), ${query},
          ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}),
          ${SCHWA_STAND_IN}, ${SCHWA})`;
  const readable = sql`(a.gated_html = '' OR a.access_level = ANY(${textArrayLiteral([...input.readableLevels])}::text[]))`;
  // Snippets are cut only for the page shown, from bounded texts: the stored head of the whole text (snippet_text)
  // for a reader who may read it, the dek and preview for anyone else.
  return sql`SELECT ${SUMMARY_COLUMNS},
               CASE WHEN ${readable} THEN ${headline(sql`a.snippet_text`)}
                    ELSE ${headline(sql`left(a.dek || ' ' || a.preview_text, ${SNIPPET_TEXT_CHARS})`)} END AS snippet,
               hit.total
          FROM (SELECT * FROM (
                  SELECT found.id, count(*) OVER () AS total, row_number() OVER (ORDER BY ${order}) - 1 AS position
                    FROM (${sql.join(found, sql` UNION ALL `)}) AS found) AS ranked
                 WHERE ranked.position / ${SEARCH_PAGE_SIZE} = LEAST(${page - 1}, (ranked.total - 1) / ${SEARCH_PAGE_SIZE})
               ) AS hit
          JOIN articles a ON a.id = hit.id JOIN sections s ON s.id = a.section_id
         ORDER BY hit.position`;
}

function markSnippet(raw: string): string {
  const escaped = raw.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return escaped.replaceAll(MARK_START, "<mark>").replaceAll(MARK_END, "</mark>");
}
