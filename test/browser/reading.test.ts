/** A real browser reading the demo newspaper: navigation, phones, no JavaScript, dark mode and the keyboard. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContextOptions, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { demoPaperInBrowser } from "../support/browser.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
const PHONE: BrowserContextOptions = {
  viewport: { width: 360, height: 780 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

const env = demoPaperInBrowser();

function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return `${SCREENSHOTS}${name}.png`;
}

/**
 * Scrolls through the page so lazily loaded pictures are fetched, then waits until every picture has loaded, so
 * full-page screenshots show what a reader who scrolls sees (and failed picture requests are seen too).
 */
async function loadEveryPicture(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await frame();
    }
    window.scrollTo(0, 0);
    await frame();
  });
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete));
  // A lazy picture whose load began during the scroll may not yet count as incomplete; waiting for the network to
  // settle keeps the next click from aborting it (which the test would rightly report as a failed request).
  await page.waitForLoadState("networkidle");
}

const squash = (text: string | null) => (text ?? "").replace(/\s+/g, " ").trim();

/** The first section in the navigation (not Home), as a path. */
async function firstSectionPath(page: Page): Promise<string> {
  const href = await page.locator('nav[aria-label="Sections"] a[href^="/section/"]').first().getAttribute("href");
  expect(href).toMatch(/^\/section\/[a-z0-9-]+$/);
  return href!;
}

/** The first article teaser on the page, as a path. */
async function firstArticlePath(page: Page): Promise<string> {
  const href = await page.locator(".teaser-title a").first().getAttribute("href");
  expect(href).toMatch(/^\/[a-z0-9-]+\/[a-z0-9-]+$/);
  return href!;
}

function luminance(rgb: string): number {
  const match = rgb.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/);
  if (!match) throw new Error(`not an rgb colour: ${rgb}`);
  const [r, g, b] = match.slice(1, 4).map((c) => {
    const s = Number(c) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe("desktop reading", () => {
  test("a reader goes from the front page to a section to an article with no console errors", async () => {
    const context = await env.browser.newContext(DESKTOP);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page error on ${page.url()}: ${error.message}`));
    page.on("requestfailed", (request) =>
      errors.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`),
    );
    page.on("response", (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} for ${response.url()}`);
    });
    try {
      await page.goto(`${env.app.url}/`);
      await loadEveryPicture(page);
      await page.screenshot({ path: screenshotPath("desktop-home"), fullPage: true });

      const sectionLink = page.locator('nav[aria-label="Sections"] a[href^="/section/"]').first();
      await sectionLink.click();
      await page.waitForURL(/\/section\/[a-z0-9-]+$/);
      expect(new URL(page.url()).pathname).toMatch(/^\/section\/[a-z0-9-]+$/);
      await page.locator("h1").first().waitFor({ state: "visible" });
      expect(await page.locator("h1").first().isVisible()).toBe(true);
      await loadEveryPicture(page);
      await page.screenshot({ path: screenshotPath("desktop-section"), fullPage: true });

      const articleLink = page.locator(".teaser-title a").first();
      const headline = squash(await articleLink.textContent());
      const articlePath = await articleLink.getAttribute("href");
      expect(headline).not.toBe("");
      await articleLink.click();
      await page.waitForURL((url) => url.pathname === articlePath);
      const h1 = page.locator("h1");
      await h1.first().waitFor({ state: "visible" });
      expect(await h1.count()).toBe(1);
      expect(squash(await h1.textContent())).toBe(headline);
      await page.locator(".article-body").waitFor({ state: "visible" });
      expect(await page.locator(".article-body").isVisible()).toBe(true);
      await loadEveryPicture(page);
      await page.screenshot({ path: screenshotPath("desktop-article"), fullPage: true });

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("phone reading", () => {
  test("the pages fit a 360 px phone without sideways scrolling", async () => {
    const context = await env.browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      // A phone widens window.innerWidth to fit content that sticks out, so the page is measured against the
      // 360 px screen (and the root element's client width) rather than against innerWidth alone.
      const screenWidth = PHONE.viewport!.width;
      const overflow = async () =>
        page.evaluate((screen) => {
          const width = Math.min(screen, window.innerWidth, document.documentElement.clientWidth);
          const scrolls = (el: Element) =>
            ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
          const sticksOut = (el: Element) => {
            if (el.getBoundingClientRect().right <= width + 0.5) return false;
            for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
              if (scrolls(up)) return false;
            }
            return true;
          };
          const culprits = Array.from(document.body.querySelectorAll("*"))
            .filter(sticksOut)
            .slice(0, 5)
            .map((el) =>
              [el.tagName.toLowerCase(), ...(el.getAttribute("class") ?? "").split(/\s+/).filter(Boolean)].join("."),
            );
          return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
        }, screenWidth);

      await page.goto(`${env.app.url}/`);
      const sectionPath = await firstSectionPath(page);
      await loadEveryPicture(page);
      const home = await overflow();
      await page.screenshot({ path: screenshotPath("phone-home"), fullPage: true });

      await page.goto(env.app.url + sectionPath);
      const articlePath = await firstArticlePath(page);
      await loadEveryPicture(page);
      const section = await overflow();
      await page.screenshot({ path: screenshotPath("phone-section"), fullPage: true });

      await page.goto(env.app.url + articlePath);
      await loadEveryPicture(page);
      const article = await overflow();
      await page.screenshot({ path: screenshotPath("phone-article"), fullPage: true });

      const measured = { "/": home, [sectionPath]: section, [articlePath]: article };
      const tooWide = Object.entries(measured).filter(([, m]) => m.scrollWidth > m.width);
      expect(tooWide).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe("reading without scripts", () => {
  test("reading needs no JavaScript", async () => {
    const context = await env.browser.newContext({ ...DESKTOP, javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(`${env.app.url}/`);
      await page.goto(env.app.url + (await firstSectionPath(page)));
      await page.goto(env.app.url + (await firstArticlePath(page)));

      const headline = page.locator("h1.article-title");
      expect(await headline.isVisible()).toBe(true);
      expect(squash(await headline.textContent())).not.toBe("");

      const firstParagraph = page.locator(".prose p").first();
      expect(await firstParagraph.isVisible()).toBe(true);
      expect(squash(await firstParagraph.textContent()).length).toBeGreaterThan(20);
    } finally {
      await context.close();
    }
  });
});

describe("colour scheme", () => {
  test("dark mode follows the system setting", async () => {
    const backgroundIn = async (colorScheme: "dark" | "light") => {
      const context = await env.browser.newContext({ ...DESKTOP, colorScheme });
      try {
        const page = await context.newPage();
        await page.goto(`${env.app.url}/`);
        return await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      } finally {
        await context.close();
      }
    };
    const dark = await backgroundIn("dark");
    const light = await backgroundIn("light");
    expect(luminance(dark), `dark background ${dark}`).toBeLessThan(0.2);
    expect(luminance(light), `light background ${light}`).toBeGreaterThan(0.8);
  });
});

describe("keyboard", () => {
  test("keyboard users can skip to the content", async () => {
    const context = await env.browser.newContext(DESKTOP);
    const page = await context.newPage();
    try {
      await page.goto(`${env.app.url}/`);
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => ({
        text: document.activeElement?.textContent?.trim(),
        href: document.activeElement?.getAttribute("href"),
      }));
      expect(focused).toEqual({ text: "Skip to content", href: "#main" });
      expect(await page.locator(".skip-link").isVisible()).toBe(true);

      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "main" || location.hash === "#main");
      const after = await page.evaluate(() => ({ active: document.activeElement?.id, hash: location.hash }));
      expect(after.active === "main" || after.hash === "#main").toBe(true);
    } finally {
      await context.close();
    }
  });
});
