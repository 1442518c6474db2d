/**
 * One's byline in the newsroom, in a real browser: a photo uploaded through the media library and a link of
 * one's own, saved, and shown on the author page; the account screen has no axe violations.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { axeViolations } from "../support/axe.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { signedInStaff } from "../support/newsroom.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp({ template: "demo" }), sharedBrowser()]);
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
});

test("an author uploads a photo and adds a link under Your account, and the author page shows both", async () => {
  const author = await signedInStaff(app, "author");
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const [name, value] = author.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url }]);
  const page = await context.newPage();
  await page.goto(`${app.url}/admin/account`);
  await page.getByRole("heading", { name: "Your byline" }).waitFor();

  const photo = await sharp({ create: { width: 500, height: 500, channels: 3, background: "#2a6f97" } })
    .jpeg()
    .toBuffer();
  await page.locator('input[type="file"]').setInputFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: photo });
  // The preview loads one of the photo's smaller copies, not the original.
  const preview = page.locator(".profile-photo img");
  await expect
    .poll(() => preview.evaluate((img: HTMLImageElement) => img.currentSrc))
    .toMatch(/\/media\/.+-480w\.jpg$/);
  await page.getByLabel(/Your website and other accounts/).fill("https://mywork.example/");
  await page.getByRole("button", { name: "Save byline" }).click();
  await page.getByText("Saved: your byline reads like this on the site now.").waitFor();
  expect(await axeViolations(page)).toEqual([]);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-profile.png`, fullPage: true });
  await context.close();

  const { slug } = await content.getStaffById(app.db, author.id);
  await app.make.article({ author: { id: author.id, slug } });
  const html = await app.html(`/author/${slug}`);
  expect(html).toMatch(/<img class="author-face" src="\/media\/[0-9a-f-]+-\d+w\.jpg" srcset=/);
  expect(html).toContain('<a href="https://mywork.example/" rel="me noopener">mywork.example</a>');
});
