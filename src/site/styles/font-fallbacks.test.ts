import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { FONT_FALLBACKS_FILE, renderFontFallbacks } from "../../../scripts/font-fallbacks.js";

test("the fallback faces are the ones computed from the fonts the site serves now (else run npm run fonts:fallbacks)", async () => {
  const committed = readFileSync(FONT_FALLBACKS_FILE, "utf8");
  expect(committed === (await renderFontFallbacks()), "font-fallbacks.css is out of date").toBe(true);
});

test("each family is its web font first, then a fallback face for each system font it names", () => {
  const css = readFileSync(FONT_FALLBACKS_FILE, "utf8");
  const stack = (property: string) => (css.match(new RegExp(`${property}: ([^;]+);`))?.[1] ?? "").trim().split(/,\s*/);
  const faces = new Set([...css.matchAll(/font-family: "([^"]+)"/g)].map((m) => m[1] ?? ""));
  for (const [property, web] of [
    ["--serif-faces", "Source Serif"],
    ["--sans-faces", "Inter"],
  ] as const) {
    const [first, ...fallbacks] = stack(property).map((name) => name.replaceAll('"', ""));
    expect(first).toBe(web);
    expect(fallbacks.length).toBeGreaterThanOrEqual(3);
    for (const name of fallbacks) expect(faces.has(name), `${name} has no @font-face`).toBe(true);
  }
});
