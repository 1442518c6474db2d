import { describe, expect, it } from "vitest";
import { drawShareCard, keepShortWordsWithNext } from "./share-image.js";

const card = (headline: string) => ({
  headline,
  kindLabel: "Analysis",
  sectionName: "Politics",
  siteTitle: "The Daily",
  accentColor: "#9b1c1c",
});

/** The headline's lines as drawn: satori writes one `<text>` per word, each at its line's baseline. */
async function headlineLines(headline: string): Promise<string[]> {
  const svg = await drawShareCard(card(headline), { embedFont: false });
  const lines = new Map<number, string>();
  for (const [, y, word] of svg.matchAll(/<text[^>]*\by="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
    const baseline = Number(y);
    // The kind label sits above the headline and the site's name below it.
    if (baseline > 150 && baseline < 500) lines.set(baseline, (lines.get(baseline) ?? "") + word);
  }
  return [...lines.entries()].sort(([a], [b]) => a - b).map(([, text]) => text.replace(/\s+/g, " ").trim());
}

describe("share card headline", () => {
  it("ties every one-letter word to the next word, and only those", () => {
    expect(keepShortWordsWithNext("Peace in the S Caucasus")).toBe("Peace in the S\u00a0Caucasus");
    expect(keepShortWordsWithNext("A deal, a b c route")).toBe("A\u00a0deal, a\u00a0b\u00a0c\u00a0route");
    expect(keepShortWordsWithNext("Plan B")).toBe("Plan B");
    expect(keepShortWordsWithNext("U.S. and EU")).toBe("U.S. and EU");
  });

  // Without the tie these headlines break as "…in the S / Caucasus" and "…how a / transit…" at this size.
  it.each([
    "Armed monitors, a new road and the promise of peace in the S Caucasus",
    "TRIPP, EUMA and Zangazur: how a transit route changed the S Caucasus",
  ])("never ends a line with a one-letter word: %s", async (headline) => {
    const lines = await headlineLines(headline);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(headline);
    for (const line of lines.slice(0, -1)) expect(line).not.toMatch(/(^|\s)\p{L}$/u);
  });
});
