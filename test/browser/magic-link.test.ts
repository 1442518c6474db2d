/** Signing up in a real browser: the form, the email through a real SMTP server, the link's button, the account. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let smtp: TestSmtp;
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  [app, browser] = await Promise.all([startApp({ template: "demo", env: { SMTP_URL: smtp.url } }), sharedBrowser()]);
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
  await smtp?.close();
});

test("a reader signs up from an article's paywall with the emailed link and lands back on the article", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // In one of the demo paper's own sections, so the screenshots show its usual navigation.
  const politics = await content.findSectionBySlug(app.db, "politics");
  const article = await app.make.article({
    ...(politics ? { section: politics } : {}),
    accessLevel: "registered",
    title: "Harbour authority names new chief",
    paragraphs: ["The harbour authority named its new chief on Tuesday.", "She starts in the spring, the board said."],
    previewAfter: 1,
  });
  const path = `/${article.section.slug}/${article.slug}`;
  await page.goto(app.url + path);
  await expect.poll(() => page.locator(".prose").textContent()).not.toContain("She starts in the spring");
  await page.getByRole("link", { name: "Create a free account" }).click();

  await page.getByLabel("Email address").fill("ana.kovac@example.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect.poll(() => page.locator("h1").textContent()).toBe("Check your email");

  const mail = await smtp.nextMessage("ana.kovac@example.test");
  const link = new URL(mail.links.find((l) => l.includes("/signin/verify"))!);
  // The email names PUBLIC_URL; the browser stays on the address it already has cookies for.
  await page.goto(`${app.url}${link.pathname}${link.search}`);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.waitForURL(app.url + path);
  await expect.poll(() => page.locator(".prose").textContent()).toContain("She starts in the spring");
  await expect.poll(() => page.locator(".masthead-account").textContent()).toBe("Account");
  await page.close();
});

test("the account page shows the reader's email and looks like the rest of the paper", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}/signin`);
  await page.getByLabel("Email address").fill("lena.horvat@example.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect.poll(() => page.locator("h1").textContent()).toBe("Check your email");

  const mail = await smtp.nextMessage("lena.horvat@example.test");
  const link = new URL(mail.links.find((l) => l.includes("/signin/verify"))!);
  await page.goto(`${app.url}${link.pathname}${link.search}`);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.waitForURL(`${app.url}/account`);
  await expect.poll(() => page.locator("main").textContent()).toContain("lena.horvat@example.test");
  const stylesheetLoaded = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(stylesheetLoaded).toContain("Source Serif");
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}account.png`, fullPage: true });
  await page.close();
});
