import { describe, expect, it } from "vitest";
import { ghostReadingMinutes } from "./serializers.js";

const words = (n: number) => `<p>${"word ".repeat(n).trim()}</p>`;

describe("Ghost's reading time", () => {
  it("is 275 words a minute, rounded", () => {
    expect(ghostReadingMinutes(words(275), false)).toBe(1);
    expect(ghostReadingMinutes(words(412), false)).toBe(1);
    expect(ghostReadingMinutes(words(413), false)).toBe(2);
    expect(ghostReadingMinutes("", false)).toBe(0);
  });

  it("adds 12 seconds for the first image, one less for each next one, never under 3; the feature image counts", () => {
    const image = '<picture><source srcset="/media/a.webp"><img src="/media/a.jpg" alt="A"></picture>';
    // 550 words are 120 s; images 12 + 11 + 10 = 33 s: 153 s is 2.55 minutes.
    expect(ghostReadingMinutes(words(550) + image + image, true)).toBe(3);
    expect(ghostReadingMinutes(words(550) + image + image, false)).toBe(2);
    // Twelve images: 12 + 11 + … + 3 (75 s) + 3 + 3 = 81 s.
    expect(ghostReadingMinutes(image.repeat(12), false)).toBe(1);
    expect(ghostReadingMinutes(image.repeat(40), false)).toBe(3);
  });

  it("counts words as Ghost does: markup is not words, Azerbaijani's ə splits one, CJK counts each character", () => {
    const html = '<p><a href="https://example.com/long/path">Zəngəzur</a> 東京都</p>';
    // "Z", "ng", "zur" and three characters: six words, which take 412 words to 1 minute and 413 to 2.
    expect(ghostReadingMinutes(words(406) + html, false)).toBe(1);
    expect(ghostReadingMinutes(words(407) + html, false)).toBe(2);
  });
});
