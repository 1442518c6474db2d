/** The Content API's browse and read parameters other than `filter`, read the way Ghost reads them. */
import type { CatalogOrder } from "../content/index.js";
import { Invalid } from "../shared/errors.js";
import type { Page } from "../shared/types.js";
import { Unprocessable } from "./ghost-errors.js";

export const DEFAULT_LIMIT = 15;
/** Ghost 6 caps a page at 100, `limit=all` included. */
export const MAX_LIMIT = 100;

export type Format = "html" | "plaintext";

/** Comma-separated values, trimmed, empties dropped. */
export function parseList(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** `limit=0` is the default, as in Ghost; anything but digits or `all` is refused. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_LIMIT;
  if (raw === "all") return MAX_LIMIT;
  if (!/^\d+$/.test(raw))
    throw new Unprocessable("LIMIT_INVALID", `limit must be a number or "all"`, { property: "limit" });
  const limit = Number(raw);
  return limit === 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
}

/** 1-based; `page=0` is the first page, as in Ghost. */
export function parsePage(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 1;
  if (!/^\d{1,9}$/.test(raw))
    throw new Unprocessable("PAGE_INVALID", "page must be a positive number", { property: "page" });
  return Math.max(1, Number(raw));
}

/** `html` by default; `mobiledoc` and `lexical` are dropped as Ghost's Content API drops them. */
export function parseFormats(raw: string | undefined): Set<Format> {
  const requested = parseList(raw);
  if (requested.length === 0) return new Set(["html"]);
  const formats = new Set<Format>();
  for (const format of requested) {
    if (format === "html" || format === "plaintext") formats.add(format);
    else if (format !== "mobiledoc" && format !== "lexical") {
      throw new Unprocessable("FORMATS_INVALID", `Unknown format "${format}": use html or plaintext`, {
        property: "formats",
      });
    }
  }
  return formats;
}

/** `order=published_at desc, title asc` over the fields a resource allows; anything else is refused. */
export function parseOrder<F extends string>(
  raw: string | undefined,
  fields: Record<string, F>,
): CatalogOrder<F>[] | undefined {
  const terms = parseList(raw);
  if (terms.length === 0) return undefined;
  return terms.map((term) => {
    const [name = "", direction = "asc", ...extra] = term.split(/\s+/);
    const field = Object.hasOwn(fields, name) ? fields[name] : undefined;
    const dir = direction.toLowerCase();
    if (!field || extra.length > 0 || (dir !== "asc" && dir !== "desc")) {
      throw new Invalid("ORDER_INVALID", `Cannot order by "${term}".`, {
        property: "order",
        help: `Order by ${Object.keys(fields).join(", ")}, each followed by asc or desc.`,
      });
    }
    return { field, direction: dir };
  });
}

export type Pagination = {
  page: number;
  limit: number;
  pages: number;
  total: number;
  next: number | null;
  prev: number | null;
};

/** Exactly as Ghost's bookshelf-pagination computes it, including a page past the end getting both links. */
export function paginationOf(result: Page<unknown>, limit: number): Pagination {
  const { page, pages, total } = result;
  const isMultiPage = pages > 1;
  return {
    page,
    limit,
    pages,
    total,
    next: isMultiPage && page !== pages ? page + 1 : null,
    prev: isMultiPage && page > 1 ? page - 1 : null,
  };
}
