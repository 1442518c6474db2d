import { createRequire } from "node:module";
import { Type } from "@sinclair/typebox";
import sindresorhusSlugify from "@sindresorhus/slugify";
import type { slugify as transliterateSlug } from "transliteration";

// transliteration's tables take about 50 ms to load and are needed only for titles in non-Latin scripts: loaded
// (synchronously, it is CommonJS) by the first such title.
const require = createRequire(import.meta.url);
let transliterate: typeof transliterateSlug | undefined;

export const MAX_SLUG_LENGTH = 120;

/** A route's `:slug`: any text up to 200 characters reaches the route, which answers 404 for one no slug can be. */
export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Turkish and Azerbaijani write ö and ü too; the German "oe"/"ue" spelling reads wrongly there.
const REPLACEMENTS: [string, string][] = [
  ["ö", "o"],
  ["Ö", "O"],
  ["ü", "u"],
  ["Ü", "U"],
];

/** A readable ASCII slug for any title: Latin diacritics, Cyrillic, Greek and CJK are transliterated. */
export function slugify(text: string): string {
  let slug = sindresorhusSlugify(text, { customReplacements: REPLACEMENTS });
  if (slug === "") {
    transliterate ??= (require("transliteration") as typeof import("transliteration")).slugify;
    slug = transliterate(text, { lowercase: true, separator: "-" });
  }
  return trimSlug(
    slug
      .replace(/[^a-z0-9-]/g, "")
      .replace(/-+/g, "-")
      .replace(/^-|-$/g, ""),
  );
}

function trimSlug(slug: string): string {
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH);
  const lastDash = cut.lastIndexOf("-");
  return lastDash > 40 ? cut.slice(0, lastDash) : cut;
}

export function isValidSlug(slug: string): boolean {
  return slug.length > 0 && slug.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(slug);
}

/** `base`, else `base-2`, `base-3`… the first that `isTaken` says is free. */
export async function uniqueSlug(base: string, isTaken: (slug: string) => Promise<boolean>): Promise<string> {
  const root = base === "" ? "untitled" : base;
  if (!(await isTaken(root))) return root;
  for (let n = 2; ; n++) {
    const candidate = `${trimSlug(root).slice(0, MAX_SLUG_LENGTH - String(n).length - 1)}-${n}`;
    if (!(await isTaken(candidate))) return candidate;
  }
}
