/**
 * An author's page in a real browser, at a laptop's and a phone's width: the photo, the bio, and where to follow
 * the author right with the bio (their feed, their own accounts), the paper's "Follow us" only in the footer; the
 * newest article leads, then a dense list. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContextOptions } from "playwright-core";
import { describe, expect, test } from "vitest";
import { demoPaperInBrowser } from "../support/browser.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const WIDTHS: Record<string, BrowserContextOptions> = {
  laptop: { viewport: { width: 1366, height: 768 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const AUTHOR = "/author/aysel-mammadova";

const env = demoPaperInBrowser();

describe.each(Object.keys(WIDTHS))("the author page at %s width", (width) => {
  test("shows the photo, the bio and the author's own Follow links together, then the lead and the list", async () => {
    const context = await env.browser.newContext(WIDTHS[width]);
    try {
      const page = await context.newPage();
      expect((await page.goto(`${env.app.url}${AUTHOR}`))?.status()).toBe(200);
      const header = page.locator("header.listing-header");
      const photo = header.locator("img.author-face");
      // The laptop draws a 112 px face at 1×: the 160 px copy. The phone draws it at 72 px at 2× (144 px): the
      // 160 px copy too, not the 400 px one a 112 px face at 2× would take.
      const copy = 160;
      expect(await photo.evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width)).toBe(
        width === "laptop" ? 112 : 72,
      );
      await expect
        .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
        .toBe(true);
      expect(await photo.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(new RegExp(`-${copy}\\.webp$`));
      await expect.poll(() => header.locator("h1").textContent()).toBe("Aysel Məmmədova");
      expect(await header.locator(".listing-description").textContent()).toContain("Politics editor");

      const follow = header.getByRole("navigation", { name: "Follow Aysel Məmmədova" });
      const links = await follow
        .getByRole("link")
        .evaluateAll((as) => as.map((a) => [a.textContent?.trim(), a.getAttribute("href")]));
      expect(links).toEqual([
        ["RSS feed", `${AUTHOR}/feed`],
        ["aysel-memmedova.example", "https://aysel-memmedova.example/"],
        ["Mastodon", "https://social.example/@aysel"],
      ]);
      // The Follow links sit under the bio, inside the header the photo heads; the paper's are in the footer only.
      const box = async (selector: string) => (await header.locator(selector).boundingBox())!;
      expect((await box(".author-follow")).y).toBeGreaterThan((await box(".listing-description")).y);
      expect(await header.getByText("Follow us").count()).toBe(0);
      expect(await page.locator("footer").getByText("Follow us").count()).toBe(1);

      expect(await page.locator(".listing-lead .teaser").count()).toBe(1);
      expect(await page.locator(".listing-list li").count()).toBeGreaterThan(2);
      // Tap targets of at least 24 px, as on every public page.
      for (const height of await follow
        .getByRole("link")
        .evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height))) {
        expect(height).toBeGreaterThanOrEqual(24);
      }
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}author-page-${width}.png` });
    } finally {
      await context.close();
    }
  });
});
