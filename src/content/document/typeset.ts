/**
 * Typography applied when an article is saved: curly quotes in the paper's language, apostrophes, dashes, the
 * ellipsis and no-break spaces (before a spaced dash, between a number and its unit, after a one-letter word where
 * the language keeps it with the next). Only readers' text is touched: never inline code, web or email addresses,
 * or any attribute (links, image captions and alt text, embeds). Applying it twice changes nothing.
 */
import type { ArticleDocument, BlockNode, InlineNode } from "./nodes.js";

const NBSP = "\u00A0";
const NARROW_NBSP = "\u202F";

type Quotes = { open: string; close: string; innerOpen: string; innerClose: string };

/** Outer and inner quotation marks by language (the primary subtag of the site's language); English otherwise. */
const QUOTES: Record<string, Quotes> = {
  en: { open: "“", close: "”", innerOpen: "‘", innerClose: "’" },
  az: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  ru: { open: "«", close: "»", innerOpen: "„", innerClose: "“" },
  uk: { open: "«", close: "»", innerOpen: "„", innerClose: "“" },
  be: { open: "«", close: "»", innerOpen: "„", innerClose: "“" },
  de: { open: "„", close: "“", innerOpen: "‚", innerClose: "‘" },
  pl: { open: "„", close: "”", innerOpen: "«", innerClose: "»" },
  cs: { open: "„", close: "“", innerOpen: "‚", innerClose: "‘" },
  fr: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  es: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  it: { open: "«", close: "»", innerOpen: "“", innerClose: "”" },
  pt: { open: "“", close: "”", innerOpen: "‘", innerClose: "’" },
  tr: { open: "“", close: "”", innerOpen: "‘", innerClose: "’" },
};

/** Languages whose one-letter words (prepositions, conjunctions) are kept with the word after them. */
const ONE_LETTER_WORDS_BIND = new Set(["ru", "uk", "be", "pl", "cs", "sk", "sl", "hr", "sr", "bg"]);

// Units and currencies written after a number ("12 km", "5 %", "300 AZN"): the space before them does not break.
const UNITS =
  "%|‰|°C|°F|°|km/h|km²|m²|m³|km|cm|mm|m|kg|mg|g|t|ha|l|ml|h|min|s|ms|kW|MW|GW|kWh|MWh|GWh|AZN|USD|EUR|RUB|GBP|manat|₼|€|\\$|£|₽|км|м|см|мм|кг|г|т|л|ч|мин|с|руб\\.|млн|млрд|тыс\\.|mln|mlrd";
const NUMBER_THEN_UNIT = new RegExp(`(\\d)[ ${NBSP}${NARROW_NBSP}]+(${UNITS})(?=$|[^\\p{L}\\p{N}])`, "gu");

// Web and email addresses are left exactly as written.
const ADDRESS = /(?:https?:\/\/|www\.)[^\s<>]*[^\s<>.,;:!?)"'»”]|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;

/** What came before the next character: the last character seen, and how many quotations are open. */
export type TypesetState = { previous: string; depth: number };

const freshState = (): TypesetState => ({ previous: "", depth: 0 });

function quotesFor(language: string): Quotes {
  const primary = language.toLowerCase().split("-")[0] ?? "en";
  return QUOTES[primary] ?? (QUOTES.en as Quotes);
}

/** A headline, a dek, any single run of text. */
export function typesetText(text: string, language: string): string {
  return typesetRun(text, language, freshState());
}

/** The document with its text typeset, run by run; a quotation may open in one run and close in another. */
export function typesetDocument(doc: ArticleDocument, language: string): ArticleDocument {
  return { ...doc, content: doc.content.map((block) => typesetBlock(block, language)) };
}

function typesetBlock(block: BlockNode, language: string): BlockNode {
  switch (block.type) {
    case "paragraph":
    case "heading":
    case "pullQuote":
      return block.content ? { ...block, content: typesetInline(block.content, language) } : block;
    case "bulletList":
    case "orderedList":
      return {
        ...block,
        content: block.content.map((item) => ({
          ...item,
          content: item.content.map((b) => typesetBlock(b, language)),
        })),
      };
    case "blockquote":
      return { ...block, content: block.content.map((b) => typesetBlock(b, language)) };
    default:
      return block;
  }
}

function typesetInline(nodes: InlineNode[], language: string): InlineNode[] {
  const state = freshState();
  return nodes.map((node) => {
    if (node.type !== "text") {
      state.previous = " ";
      return node;
    }
    if (node.marks?.some((m) => m.type === "code")) {
      state.previous = node.text.slice(-1);
      return node;
    }
    return { ...node, text: typesetRun(node.text, language, state) };
  });
}

/** Typesets `text` after what `state` says came before it, and moves `state` past it. */
export function typesetRun(text: string, language: string, state: TypesetState): string {
  let out = "";
  let at = 0;
  for (const match of text.matchAll(ADDRESS)) {
    out += typesetPlain(text.slice(at, match.index), language, state);
    out += match[0];
    state.previous = match[0].slice(-1);
    at = match.index + match[0].length;
  }
  return out + typesetPlain(text.slice(at), language, state);
}

function typesetPlain(text: string, language: string, state: TypesetState): string {
  if (text === "") return text;
  const primary = language.toLowerCase().split("-")[0] ?? "en";
  // The character before (the end of a bold run, of inline code) is context for the rules, never rewritten.
  const prefix = state.previous;
  const withPrefix = replaceRules(prefix + text, primary);
  const s = withPrefix.startsWith(prefix) ? withPrefix.slice(prefix.length) : replaceRules(text, primary);
  const quoted = typesetQuotes(s, quotesFor(language), state);
  return primary === "fr" ? frenchSpacing(quoted) : quoted;
}

function replaceRules(text: string, primary: string): string {
  let s = text.replace(/(?<!\.)\.\.\.(?!\.)/g, "…");
  // A spaced hyphen or double hyphen between words is a dash; the space before it does not break.
  s = s.replace(/(?<=\S)[ \u00A0]+(?:--?|–|—)[ \u00A0]+(?=\S)/g, `${NBSP}— `);
  s = s.replace(/(?<=[\p{L}\p{N}])--(?=[\p{L}\p{N}])/gu, "—");
  // A range of numbers (10-15, 1990-1995), but not a date (2026-12-07) or a code with more parts.
  s = s.replace(/(?<![\p{N}\p{L}\-/.:])(\d{1,4})-(\d{1,4})(?![\p{N}\p{L}\-/:]|\.\p{N})/gu, "$1–$2");
  s = s.replace(NUMBER_THEN_UNIT, `$1${NBSP}$2`);
  if (ONE_LETTER_WORDS_BIND.has(primary)) {
    s = s.replace(/(?<=^|[\s(«„"])(\p{L})[ ](?=\S)/gu, `$1${NBSP}`);
  }
  return s;
}

// After these, or the language's own opening marks, a quotation mark opens; after anything else it closes.
const OPENING_CONTEXT = /^$|[\s([{—–\-/]/u;

function typesetQuotes(text: string, quotes: Quotes, state: TypesetState): string {
  let out = "";
  for (const ch of text) {
    let put = ch;
    const { previous } = state;
    const opens = OPENING_CONTEXT.test(previous) || previous === quotes.open || previous === quotes.innerOpen;
    if (ch === '"') {
      if (opens) {
        put = state.depth > 0 ? quotes.innerOpen : quotes.open;
        state.depth++;
      } else {
        state.depth = Math.max(0, state.depth - 1);
        put = state.depth > 0 ? quotes.innerClose : quotes.close;
      }
    } else if (ch === "'") {
      // Between letters, after a letter, or before a year ('90s) it is an apostrophe; after a space, a quote.
      put = opens && quotes.innerOpen === "‘" && !/\d/.test(text[out.length + 1] ?? "") ? "‘" : "’";
    }
    out += put;
    state.previous = put;
  }
  return out;
}

/** French puts a narrow no-break space inside guillemets and before ; : ! ? */
function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \u00A0\u202F]*/g, `«${NARROW_NBSP}`)
    .replace(/[ \u00A0\u202F]*»/g, `${NARROW_NBSP}»`)
    .replace(/(?<=[\p{L}\p{N}”»)])[ \u00A0\u202F]*([;:!?])(?=\s|$)/gu, `${NARROW_NBSP}$1`);
}
