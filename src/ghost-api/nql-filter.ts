/**
 * Ghost's `filter` parameter: NQL, parsed by Ghost's own parser into Mongo-style JSON, then translated field by
 * field into a content condition. Only fields a resource lists can be named, so body text can't be probed.
 */
import { createRequire } from "node:module";
import type { parse as parseNql } from "@tryghost/nql-lang";
import type { CatalogComparison, CatalogCondition, CatalogValue } from "../content/index.js";
import { Invalid } from "../shared/errors.js";

/** One comparison a filter makes on a field, before negation (`-`) wraps it. */
export type FilterComparison = { op: CatalogComparison; value: CatalogValue } | { op: "in"; values: CatalogValue[] };

/** How a Ghost field reads: a comparison on it becomes a condition over content's fields. */
export type FilterField<F extends string> = (comparison: FilterComparison) => CatalogCondition<F>;

export type FilterFields<F extends string> = Record<string, FilterField<F>>;

// Deep nesting and long chains would reach the database as deeply nested SQL; no real client needs more.
const MAX_DEPTH = 8;
const MAX_TERMS = 64;

const RANGE_OPERATORS: Record<string, CatalogComparison> = { $gt: "gt", $gte: "gte", $lt: "lt", $lte: "lte" };

// Ghost's parser brings luxon (half a megabyte of source, about 50 ms to load); it is CommonJS, so it is required
// by the first filter parsed rather than by every start.
const require = createRequire(import.meta.url);
let nql: typeof parseNql | undefined;

/** A field compared directly with a content field, its values mapped when Ghost's words differ from ours. */
export function sameAs<F extends string>(field: F, toValue: (v: CatalogValue) => CatalogValue = (v) => v) {
  return (c: FilterComparison): CatalogCondition<F> =>
    c.op === "in"
      ? { kind: "in", field, values: c.values.map(toValue) }
      : { kind: "compare", field, op: c.op, value: toValue(c.value) };
}

/**
 * A filter as a content condition. `readsClock`: it names a date relative to now (`published_at:>now-30d`), so
 * the same filter selects other things later and its answer can't be kept.
 */
export type ParsedFilter<F extends string> = { condition: CatalogCondition<F>; readsClock: boolean };

export function parseFilter<F extends string>(input: string, fields: FilterFields<F>, now: Date): ParsedFilter<F> {
  let parsed: unknown;
  try {
    nql ??= (require("@tryghost/nql-lang") as typeof import("@tryghost/nql-lang")).parse;
    parsed = nql(input, { preserveRelativeDates: true });
  } catch (err) {
    const reason = err instanceof Error ? (err.message.split("\n")[0] ?? "") : "";
    throw new Invalid("FILTER_INVALID", `Error parsing filter: ${reason}`, {
      property: "filter",
      help: "Filters are NQL, e.g. tag:news+featured:true. See Ghost's Content API filtering docs.",
    });
  }
  const translation: Translation<F> = { fields, now, terms: 0, readsClock: false };
  const condition = translate(parsed, translation, 0);
  return { condition, readsClock: translation.readsClock };
}

type Translation<F extends string> = { fields: FilterFields<F>; now: Date; terms: number; readsClock: boolean };

function translate<F extends string>(node: unknown, t: Translation<F>, depth: number): CatalogCondition<F> {
  if (depth > MAX_DEPTH) throw tooComplex();
  let group = node;
  // The parser marks redundant parentheses as `{ yg: … }`; they group nothing, so they cost no depth.
  while (isRecord(group) && Object.hasOwn(group, "yg")) group = group.yg;
  if (!isRecord(group)) throw malformed();
  const parts = Object.entries(group).map(([key, value]): CatalogCondition<F> => {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value)) throw malformed();
      const conditions = value.map((inner) => translate(inner, t, depth + 1));
      return { kind: key === "$and" ? "all" : "any", conditions };
    }
    const field = Object.hasOwn(t.fields, key) ? t.fields[key] : undefined;
    if (!field) {
      throw new Invalid("FILTER_FIELD_NOT_ALLOWED", `Filtering on "${key}" is not supported.`, {
        property: "filter",
        help: `Filterable fields: ${Object.keys(t.fields).join(", ")}.`,
      });
    }
    if (++t.terms > MAX_TERMS) throw tooComplex();
    return fieldCondition(field, value, t);
  });
  return parts.length === 1 ? parts[0]! : { kind: "all", conditions: parts };
}

/** `tag:x`, `tag:-x`, `published_at:>x`, `tag:[a,b]`, `title:~'x'`… as Ghost's parser writes them. */
function fieldCondition<F extends string>(
  field: FilterField<F>,
  value: unknown,
  t: Translation<F>,
): CatalogCondition<F> {
  if (value instanceof RegExp) return field(fromRegExp(value));
  if (!isRecord(value) || "$relativeDate" in value) return field({ op: "eq", value: toValue(value, t) });
  const parts = Object.entries(value).map(([op, operand]): CatalogCondition<F> => {
    const not = (c: FilterComparison): CatalogCondition<F> => ({ kind: "not", condition: field(c) });
    const range = RANGE_OPERATORS[op];
    if (range) return field({ op: range, value: toValue(operand, t) });
    if (op === "$ne") return not({ op: "eq", value: toValue(operand, t) });
    if (op === "$regex" && operand instanceof RegExp) return field(fromRegExp(operand));
    if (op === "$not" && operand instanceof RegExp) return not(fromRegExp(operand));
    if (!Array.isArray(operand)) throw malformed();
    const values = operand.map((v) => toValue(v, t));
    if (op === "$in") return field({ op: "in", values });
    if (op === "$nin") return not({ op: "in", values });
    if (op === "$all") return { kind: "all", conditions: values.map((v) => field({ op: "eq", value: v })) };
    throw malformed();
  });
  return parts.length === 1 ? parts[0]! : { kind: "all", conditions: parts };
}

function toValue<F extends string>(value: unknown, t: Translation<F>): CatalogValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (isRecord(value) && isRecord(value.$relativeDate)) {
    t.readsClock = true;
    return relativeDate(t.now, value.$relativeDate);
  }
  throw malformed();
}

/** `now-30d`, `now+2h`: resolved against the app's clock rather than the parser's. */
function relativeDate(now: Date, relative: Record<string, unknown>): string {
  const amount = Number(relative.amount) * (relative.op === "add" ? 1 : -1);
  const at = new Date(now.getTime());
  const msPer: Record<string, number> = {
    weeks: 604_800_000,
    days: 86_400_000,
    hours: 3_600_000,
    minutes: 60_000,
    seconds: 1000,
  };
  if (relative.unit === "years") at.setUTCFullYear(at.getUTCFullYear() + amount);
  else if (relative.unit === "months") at.setUTCMonth(at.getUTCMonth() + amount);
  else at.setTime(at.getTime() + amount * (msPer[String(relative.unit)] ?? Number.NaN));
  if (Number.isNaN(at.getTime())) throw malformed();
  return at.toISOString();
}

/** NQL writes `~'x'`, `~^'x'` and `~$'x'` as escaped, case-insensitive regular expressions; undo that. */
function fromRegExp(re: RegExp): FilterComparison {
  let source = re.source;
  const startsWith = source.startsWith("^");
  if (startsWith) source = source.slice(1);
  const endsWith = /(^|[^\\])(\\\\)*\$$/.test(source);
  if (endsWith) source = source.slice(0, -1);
  const value = source.replace(/\\(.)/g, "$1");
  return { op: startsWith ? "startsWith" : endsWith ? "endsWith" : "contains", value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function malformed(): Invalid {
  return new Invalid("FILTER_INVALID", "Error parsing filter: unsupported expression.", { property: "filter" });
}

function tooComplex(): Invalid {
  return new Invalid(
    "FILTER_TOO_COMPLEX",
    `Filters may combine at most ${MAX_TERMS} terms, nested ${MAX_DEPTH} deep.`,
    {
      property: "filter",
    },
  );
}
