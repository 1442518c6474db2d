/** The front page as a reader meets it: a newspaper's density on a laptop, a short header and big enough targets on a phone. */
import type { BrowserContextOptions } from "playwright-core";
import { expect, test } from "vitest";
import { demoPaperInBrowser } from "../support/browser.js";

const LAPTOP: BrowserContextOptions = { viewport: { width: 1366, height: 768 } };
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

const env = demoPaperInBrowser();

async function openFront(options: BrowserContextOptions) {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${env.app.url}/`);
  return { context, page };
}

test("at 1366×768 the front page shows at least ten headlines above the fold", async () => {
  const { context, page } = await openFront(LAPTOP);
  const aboveTheFold = await page.evaluate(
    () =>
      Array.from(document.querySelectorAll<HTMLAnchorElement>("main h2 a, main h3 a")).filter((link) => {
        const box = link.getBoundingClientRect();
        const style = getComputedStyle(link);
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && box.top >= 0 && box.top < 768;
      }).length,
  );
  expect(aboveTheFold).toBeGreaterThanOrEqual(10);
  await context.close();
});

test("on a 390×844 phone the header is at most 110 px tall, stays on screen, and nothing scrolls sideways", async () => {
  const { context, page } = await openFront(PHONE);
  const header = await page.locator(".masthead").boundingBox();
  expect(header?.height).toBeLessThanOrEqual(110);
  const sections = await page.locator('nav[aria-label="Sections"] a').count();
  expect(sections).toBeGreaterThan(3);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.waitForFunction(() => window.scrollY > 1000);
  expect((await page.locator(".masthead").boundingBox())?.y).toBe(0);
  await context.close();
});

test("on a phone every link and button in the header, the headline lists and the footer is a target of 24 px or more", async () => {
  const { context, page } = await openFront(PHONE);
  const small = await page.evaluate(() =>
    Array.from(
      document.querySelectorAll<HTMLElement>(
        ".masthead a, .masthead button, .headline-list a, .site-footer a, .section-block-heading a",
      ),
    )
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        // A headline's link covers its whole entry (a stretched ::after), so the entry is the target.
        const target = el.closest(".headline") ?? el;
        const box = target.getBoundingClientRect();
        return { text: el.textContent?.trim() ?? "", width: box.width, height: box.height };
      })
      .filter((box) => box.width < 24 || box.height < 24),
  );
  expect(small).toEqual([]);
  await context.close();
});

test("every picture on the front page reserves its space and offers the renditions a phone needs", async () => {
  const { context, page } = await openFront(PHONE);
  const images = await page.evaluate(() =>
    Array.from(document.images).map((img) => ({
      src: img.getAttribute("src"),
      width: img.getAttribute("width"),
      height: img.getAttribute("height"),
      srcset: img.getAttribute("srcset") ?? img.closest("picture")?.querySelector("source")?.getAttribute("srcset"),
    })),
  );
  expect(images.length).toBeGreaterThan(5);
  for (const image of images) {
    expect(image.width, image.src ?? "").toMatch(/^\d+$/);
    expect(image.height, image.src ?? "").toMatch(/^\d+$/);
    expect(image.srcset, image.src ?? "").toMatch(/ \d+w/);
  }
  await context.close();
});
