/**
 * Conditions and orderings over an allow-list of fields, compiled to SQL. A field not in the list can't be
 * named, and every value becomes a typed parameter, so a caller's filter never reaches the query as text.
 */
import { type SQL, sql } from "drizzle-orm";
import { Invalid } from "../shared/errors.js";

export type CatalogValue = string | number | boolean | null;
export type CatalogComparison = "eq" | "gt" | "gte" | "lt" | "lte" | "contains" | "startsWith" | "endsWith";

/** A filter over fields `F`. An empty `all` matches everything and an empty `any` matches nothing. */
export type CatalogCondition<F extends string> =
  | { kind: "all"; conditions: CatalogCondition<F>[] }
  | { kind: "any"; conditions: CatalogCondition<F>[] }
  | { kind: "not"; condition: CatalogCondition<F> }
  | { kind: "compare"; field: F; op: CatalogComparison; value: CatalogValue }
  | { kind: "in"; field: F; values: CatalogValue[] };

export type CatalogOrder<F extends string> = { field: F; direction: "asc" | "desc" };

export type CatalogQuery<F extends string> = {
  where?: CatalogCondition<F>;
  order: CatalogOrder<F>[];
  page: number;
  pageSize: number;
};

/**
 * A field a condition may test. `within` scopes the test to related rows (an article's tags), as EXISTS. A
 * timestamp is compared at whole seconds, as Ghost stores dates: `published_at:>'10:00:00'` leaves out 10:00:00.5.
 */
export type Column = { type: "text" | "boolean" | "timestamp" | "number"; sql: SQL; within?: (test: SQL) => SQL };

/** ORDER BY terms; fields read through related rows (an article's tags) can't order anything. */
export function compileOrder<F extends string>(fields: Record<F, Column>, order: CatalogOrder<F>[]): SQL[] {
  return order.map((o) => {
    const column = fields[o.field];
    if (column.within) throw new Invalid("ORDER_FIELD_INVALID", `Cannot order by ${o.field}`, { property: "order" });
    return sql`${column.sql} ${o.direction === "desc" ? sql`DESC NULLS LAST` : sql`ASC NULLS FIRST`}`;
  });
}

const OPERATORS: Record<"eq" | "gt" | "gte" | "lt" | "lte", SQL> = {
  eq: sql`=`,
  gt: sql`>`,
  gte: sql`>=`,
  lt: sql`<`,
  lte: sql`<=`,
};

/** A WHERE condition; every value is a parameter of its field's type. */
export function compileCondition<F extends string>(fields: Record<F, Column>, c: CatalogCondition<F>): SQL {
  switch (c.kind) {
    case "all":
    case "any": {
      if (c.conditions.length === 0) return c.kind === "all" ? sql`TRUE` : sql`FALSE`;
      const parts = c.conditions.map((inner) => sql`(${compileCondition(fields, inner)})`);
      return sql.join(parts, c.kind === "all" ? sql` AND ` : sql` OR `);
    }
    case "not":
      return sql`NOT (${compileCondition(fields, c.condition)})`;
    case "in": {
      const column = fields[c.field];
      if (c.values.length === 0) return sql`FALSE`;
      if (column.type === "timestamp") {
        return sql.join(
          c.values.map(
            (v) => sql`(${compileCondition(fields, { kind: "compare", field: c.field, op: "eq", value: v })})`,
          ),
          sql` OR `,
        );
      }
      const values = sql.join(
        c.values.map((v) => parameter(column, c.field, v)),
        sql`, `,
      );
      return scoped(column, sql`${column.sql} IN (${values})`);
    }
    case "compare":
      return scoped(fields[c.field], comparison(fields[c.field], c.field, c.op, c.value));
  }
}

function scoped(column: Column, test: SQL): SQL {
  return column.within ? column.within(test) : test;
}

function comparison(column: Column, field: string, op: CatalogComparison, value: CatalogValue): SQL {
  if (value === null) {
    if (op !== "eq") throw invalidValue(field, value);
    return sql`${column.sql} IS NULL`;
  }
  if (op === "contains" || op === "startsWith" || op === "endsWith") {
    if (column.type !== "text") throw invalidValue(field, value);
    const escaped = String(value).replace(/[\\%_]/g, "\\$&");
    const pattern = op === "contains" ? `%${escaped}%` : op === "startsWith" ? `${escaped}%` : `%${escaped}`;
    return sql`${column.sql} ILIKE ${pattern}`;
  }
  if (column.type === "timestamp") return secondsComparison(column.sql, op, timestampOf(field, value));
  return sql`${column.sql} ${OPERATORS[op]} ${parameter(column, field, value)}`;
}

const SECOND_MS = 1000;

/**
 * `column op value` with the column's sub-second part ignored, written as a range on the column itself so an
 * index on it still serves: `trunc(t) > v` is `t >= floor(v) + 1s`, `trunc(t) <= v` is `t < floor(v) + 1s`, etc.
 */
function secondsComparison(column: SQL, op: keyof typeof OPERATORS, value: Date): SQL {
  const floor = Math.floor(value.getTime() / SECOND_MS) * SECOND_MS;
  const isWhole = floor === value.getTime();
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const next = at(floor + SECOND_MS);
  switch (op) {
    case "eq":
      return isWhole ? sql`${column} >= ${at(floor)} AND ${column} < ${next}` : sql`FALSE`;
    case "gt":
      return sql`${column} >= ${next}`;
    case "gte":
      return sql`${column} >= ${isWhole ? at(floor) : next}`;
    case "lt":
      return sql`${column} < ${isWhole ? at(floor) : next}`;
    case "lte":
      return sql`${column} < ${next}`;
  }
}

function timestampOf(field: string, value: CatalogValue): Date {
  const at = typeof value === "string" ? parseTimestamp(value) : undefined;
  if (!at) throw invalidValue(field, value);
  return at;
}

/**
 * A value as a parameter of the column's type, or `Invalid`, so the database never sees a bad cast. Timestamps
 * are compared by `secondsComparison` instead.
 */
function parameter(column: Column, field: string, value: CatalogValue): SQL {
  switch (column.type) {
    case "text":
      if (value !== null) return sql`${String(value)}`;
      break;
    case "number":
      if (typeof value === "number") return sql`${value}::numeric`;
      break;
    case "boolean":
      if (typeof value === "boolean") return value ? sql`TRUE` : sql`FALSE`;
      break;
  }
  throw invalidValue(field, value);
}

// "2020-01-02", "2020-01-02 03:04:05" or ISO 8601; without a zone it is UTC.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function parseTimestamp(value: string): Date | undefined {
  if (!TIMESTAMP.test(value)) return undefined;
  const hasTime = value.length > 10;
  const hasZone = hasTime && /(?:Z|[+-]\d{2}:?\d{2})$/.test(value);
  const at = new Date(hasTime ? `${value.replace(" ", "T")}${hasZone ? "" : "Z"}` : `${value}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function invalidValue(field: string, value: CatalogValue): Invalid {
  return new Invalid("FILTER_VALUE_INVALID", `${JSON.stringify(value)} is not a value ${field} can be compared with`, {
    property: "filter",
  });
}
