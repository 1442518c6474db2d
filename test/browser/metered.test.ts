/** The meter in a real browser: free articles count down, the wall appears, a free account lets the reader go on. */
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
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
  await smtp?.close();
});

test("an anonymous reader uses up the free articles, meets the wall, registers and reads on", async () => {
  const business = await content.findSectionBySlug(app.db, "business");
  const articles: Awaited<ReturnType<TestApp["make"]["article"]>>[] = [];
  for (const n of [1, 2, 3, 4]) {
    articles.push(
      await app.make.article({
        ...(business ? { section: business } : {}),
        kind: "analysis",
        accessLevel: "paid",
        isMetered: true,
        title: `What the port deal means, part ${n}`,
        paragraphs: [
          `The port deal, part ${n}, was signed on Monday.`,
          `Analysts say part ${n} of the deal shifts costs to the city.`,
          "The council votes next week.",
        ],
        previewAfter: 1,
      }),
    );
  }
  const pathOf = (a: (typeof articles)[number]) => `/${a.section.slug}/${a.slug}`;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

  const banners = [];
  for (const article of articles.slice(0, 3)) {
    await page.goto(app.url + pathOf(article));
    expect(await page.locator(".prose").textContent()).toContain("shifts costs to the city");
    banners.push(await page.locator(".meter-banner").textContent());
  }
  expect(banners).toEqual([
    "You have 2 free articles left this month. Subscribe for unlimited access.",
    "You have 1 free article left this month. Subscribe for unlimited access.",
    "This is your last free article this month. Subscribe for unlimited access.",
  ]);

  const last = articles[3]!;
  await page.goto(app.url + pathOf(last));
  expect(await page.locator(".prose").textContent()).not.toContain("shifts costs to the city");
  await expect
    .poll(() => page.locator("#paywall-heading").textContent())
    .toBe("You have read your 3 free articles this month");
  await page.locator(".paywall").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}meter-wall-desktop.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}meter-wall-phone.png` });

  await page.getByRole("link", { name: "create a free account" }).click();
  await page.getByLabel("Email address").fill("metered.reader@example.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  const mail = await smtp.nextMessage("metered.reader@example.test");
  const link = new URL(mail.links.find((l) => l.includes("/signin/verify"))!);
  await page.goto(`${app.url}${link.pathname}${link.search}`);
  await page.getByRole("button", { name: "Sign in" }).click();

  await page.waitForURL(app.url + pathOf(last));
  expect(await page.locator(".prose").textContent()).toContain("Analysts say part 4");
  expect(await page.locator(".meter-banner").textContent()).toBe(
    "You have 9 free articles left this month. Subscribe for unlimited access.",
  );
  await page.close();
});
