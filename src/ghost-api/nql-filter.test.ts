import { describe, expect, test } from "vitest";
import { type FilterFields, parseFilter, sameAs } from "./nql-filter.js";

type Field = "slug" | "isFeatured" | "publishedAt" | "title";
const fields: FilterFields<Field> = {
  slug: sameAs("slug"),
  featured: sameAs("isFeatured"),
  published_at: sameAs("publishedAt"),
  title: sameAs("title"),
};
const NOW = new Date("2024-05-10T12:00:00Z");
const parse = (filter: string) => parseFilter(filter, fields, NOW).condition;

describe("parseFilter", () => {
  test("and, or and parentheses become all and any, in Ghost's precedence", () => {
    expect(parse("slug:abc+featured:true,published_at:>'2020-01-01'")).toEqual({
      kind: "any",
      conditions: [
        {
          kind: "all",
          conditions: [
            { kind: "compare", field: "slug", op: "eq", value: "abc" },
            { kind: "compare", field: "isFeatured", op: "eq", value: true },
          ],
        },
        { kind: "compare", field: "publishedAt", op: "gt", value: "2020-01-01" },
      ],
    });
  });

  test("negation, lists and the text operators keep their meaning", () => {
    expect(parse("slug:-abc")).toEqual({
      kind: "not",
      condition: { kind: "compare", field: "slug", op: "eq", value: "abc" },
    });
    expect(parse("slug:-[abc,def]")).toEqual({
      kind: "not",
      condition: { kind: "in", field: "slug", values: ["abc", "def"] },
    });
    expect(parse("title:~'50% off.'")).toEqual({ kind: "compare", field: "title", op: "contains", value: "50% off." });
    expect(parse("title:~^'Oil'")).toMatchObject({ op: "startsWith", value: "Oil" });
    expect(parse("title:~$'(a)$'")).toMatchObject({ op: "endsWith", value: "(a)$" });
  });

  test("relative dates are resolved against the given clock", () => {
    expect(parse("published_at:>now-2d")).toMatchObject({ op: "gt", value: "2024-05-08T12:00:00.000Z" });
    expect(parse("published_at:<now+1M")).toMatchObject({ op: "lt", value: "2024-06-10T12:00:00.000Z" });
  });

  test("a filter says whether it read the clock, so its answer is not kept", () => {
    expect(parseFilter("published_at:>now-2d", fields, NOW).readsClock).toBe(true);
    expect(parseFilter("slug:abc,published_at:[now-1d,'2020-01-01']", fields, NOW).readsClock).toBe(true);
    expect(parseFilter("slug:'now-2d'+published_at:>'2020-01-01'", fields, NOW).readsClock).toBe(false);
  });

  test("fields outside the allow-list, bad syntax and oversized filters are refused", () => {
    expect(() => parse("plaintext:~'secret'")).toThrow(/Filtering on "plaintext" is not supported/);
    expect(() => parse("toString:x")).toThrow(/not supported/);
    expect(() => parse("slug:abc+")).toThrow(/Error parsing filter/);
    expect(() => parse(Array.from({ length: 65 }, (_, i) => `slug:s${i}`).join(","))).toThrow(/at most 64 terms/);
  });
});
