import { describe, expect, test } from "vitest";
import { isValidSlug, MAX_SLUG_LENGTH, slugify, uniqueSlug } from "./slug.js";

describe("slugify", () => {
  test.each([
    ["Oil exports fall for a third month", "oil-exports-fall-for-a-third-month"],
    ["Aysel Məmmədova", "aysel-mammadova"],
    ["Şirvan valley: ğ, ı and İ", "sirvan-valley-g-i-and-i"],
    ["Flamingos return to the Ördek lagoon", "flamingos-return-to-the-ordek-lagoon"],
    ["Üçüncü gün", "ucuncu-gun"],
    ["Щука и ёж: Привет", "schuka-i-yozh-privet"],
    ["Šolić wins bronze", "solic-wins-bronze"],
    ["Ça va? Straße", "ca-va-strasse"],
    ["Ελληνικά νέα", "ellinika-nea"],
  ])("%s becomes %s", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  test("scripts without Latin letters still give a readable slug", () => {
    expect(slugify("日本語")).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test("punctuation-only titles give an empty slug rather than a broken one", () => {
    expect(slugify("!!! ???")).toBe("");
  });

  test("long titles are cut at a word boundary within the limit", () => {
    const slug = slugify("word ".repeat(100));
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith("-")).toBe(false);
    expect(isValidSlug(slug)).toBe(true);
  });
});

describe("isValidSlug", () => {
  test.each(["a", "oil-exports", "2026-budget"])("%s is valid", (slug) => expect(isValidSlug(slug)).toBe(true));
  test.each(["", "Oil", "oil--exports", "-oil", "oil-", "ö", "a/b", "a".repeat(MAX_SLUG_LENGTH + 1)])(
    "%j is not valid",
    (slug) => expect(isValidSlug(slug)).toBe(false),
  );
});

describe("uniqueSlug", () => {
  test("adds the first free number when the slug is taken", async () => {
    const taken = new Set(["budget", "budget-2"]);
    expect(await uniqueSlug("budget", async (s) => taken.has(s))).toBe("budget-3");
  });

  test("an empty base becomes untitled", async () => {
    expect(await uniqueSlug("", async () => false)).toBe("untitled");
  });
});
