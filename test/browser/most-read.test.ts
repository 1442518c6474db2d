/**
 * "Most read" under an article, in a real browser: the page's script puts the cached fragment under the article,
 * leaving the article itself out, and the list follows the round while the article's cached page stays as it was.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BrowserContextOptions, Page } from "playwright-core";
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

async function readTimes(path: string, times: number) {
  for (let n = 0; n < times; n++) {
    const res = await fetch(`${env.app.url}${path}`, { headers: { "user-agent": "Mozilla/5.0 (X11) Firefox/133.0" } });
    await res.arrayBuffer();
  }
}

const listedUnder = (page: Page) =>
  page
    .locator(".article-most-read .most-read-list a")
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));

test("under an article: the five most read but itself, refreshed by the round, the article's page still cached", async () => {
  const front = await (await fetch(`${env.app.url}/`)).text();
  const paths = [...new Set([...front.matchAll(/href="(\/(?!section\/|tag\/|author\/)[a-z0-9-]+\/[a-z0-9-]+)"/g)])]
    .map((m) => m[1]!)
    .filter((path, i, all) => all.indexOf(path) === i)
    .slice(0, 8);
  expect(paths).toHaveLength(8);
  // Seven read in a known order (the first most); the eighth not at all yet.
  for (const [i, path] of paths.slice(0, 7).entries()) await readTimes(path, 16 - i * 2);
  await env.app.built.rounds.checkMostRead();

  const context = await env.browser.newContext(LAPTOP);
  const page = await context.newPage();
  const own = paths[0]!;
  await page.goto(env.app.url + own);
  await page.locator(".article-most-read .most-read-list li").first().waitFor();
  expect(await listedUnder(page)).toEqual(paths.slice(1, 6));
  expect(await page.locator(".article-most-read h2").textContent()).toContain("Most read");
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator(".article-most-read").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}most-read-under-article-desktop.png` });

  // Under another article the first is listed, and that article is not.
  await page.goto(env.app.url + paths[3]);
  await page.locator(".article-most-read .most-read-list li").first().waitFor();
  expect(await listedUnder(page)).toEqual([paths[0], paths[1], paths[2], paths[4], paths[5]]);

  // The eighth overtakes them all: after the round the fragment has it, and the article page is the cached one.
  const cachedPage = env.app.built.cache.pageAtAddress(own)?.page;
  expect(cachedPage).toBeDefined();
  await readTimes(paths[7]!, 30);
  expect(await env.app.built.rounds.checkMostRead()).toBe(true);
  await context.close();
  // A new visitor: the first one's browser may keep the fragment for its max-age, as it keeps pages.
  const later = await env.browser.newContext(LAPTOP);
  const laterPage = await later.newPage();
  await laterPage.goto(env.app.url + own);
  await laterPage.locator(".article-most-read .most-read-list li").first().waitFor();
  expect(await listedUnder(laterPage)).toEqual([paths[7], ...paths.slice(1, 5)]);
  expect(env.app.built.cache.pageAtAddress(own)?.page).toBe(cachedPage);
  await later.close();

  const phone = await env.browser.newContext(PHONE);
  const phonePage = await phone.newPage();
  await phonePage.goto(env.app.url + own);
  await phonePage.locator(".article-most-read .most-read-list li").first().waitFor();
  await phonePage.locator(".article-most-read").scrollIntoViewIfNeeded();
  await phonePage.screenshot({ path: `${SCREENSHOTS}most-read-under-article-phone.png` });
  await phone.close();
});
