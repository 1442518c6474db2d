/** The front page as a reader meets it: a newspaper's density on a laptop, a short header and big enough targets on a phone. */
import { fileURLToPath } from "node:url";
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

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

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

test("a 390 px phone showing the lead full width fetches its 800 px rendition, not the 1280 px one", async () => {
  const { context, page } = await openFront(PHONE);
  const lead = page.locator(".front-lead img").first();
  await lead.evaluate((img: HTMLImageElement) => img.decode());
  expect(await lead.evaluate((img: HTMLImageElement) => img.currentSrc)).toMatch(/-800\.webp$/);
  await context.close();
});

test("the most read rail ranks the articles browsers read, and appears once the round has run", async () => {
  const { context, page } = await openFront(LAPTOP);
  expect(await page.locator(".most-read").count()).toBe(0);
  const paths = await page
    .locator(".latest-list a")
    .evaluateAll((links) => links.slice(0, 3).map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths).toHaveLength(3);
  const reads = [2, 5, 3];
  for (const [i, path] of paths.entries()) {
    for (let n = 0; n < (reads[i] ?? 0); n++) {
      const res = await fetch(`${env.app.url}${path}`, {
        headers: { "user-agent": "Mozilla/5.0 (Macintosh) Safari/605.1" },
      });
      await res.arrayBuffer();
    }
  }
  await env.app.built.rounds.checkMostRead();
  await page.reload();
  const ranked = await page
    .locator(".most-read-list a")
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(ranked).toEqual([paths[1], paths[2], paths[0]]);
  await page.screenshot({ path: `${SCREENSHOTS}front-desktop.png` });
  await page.screenshot({ path: `${SCREENSHOTS}front-desktop-full.png`, fullPage: true });
  await context.close();
  const phone = await openFront(PHONE);
  expect(await phone.page.locator(".most-read-list li").count()).toBe(3);
  await phone.page.screenshot({ path: `${SCREENSHOTS}front-phone.png` });
  await phone.page.screenshot({ path: `${SCREENSHOTS}front-phone-full.png`, fullPage: true });
  await phone.context.close();
});
