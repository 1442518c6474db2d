/** Subscribing in a real browser: the plans, signing in on the way, Checkout (the stand-in), the success page. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";
import { type StripeStandin, startStripeStandin } from "../support/stripe-standin.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let smtp: TestSmtp;
let stripe: StripeStandin;
let app: TestApp;
let browser: Browser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  stripe = await startStripeStandin({ now: () => new Date() });
  [app, browser] = await Promise.all([
    startApp({
      template: "demo",
      env: {
        SMTP_URL: smtp.url,
        ...stripe.env,
      },
    }),
    sharedBrowser(),
  ]);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
  await stripe?.close();
  await smtp?.close();
});

test("a reader chooses a plan, signs in on the way, pays, and the account shows the subscription", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}/`);
  await page.locator(".masthead-subscribe").click();
  await page.waitForURL(`${app.url}/subscribe`);
  expect(await page.locator(".plan-price strong").first().textContent()).toBe("€4.99");
  await page.screenshot({ path: `${SCREENSHOTS}subscribe-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}subscribe-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("button", { name: "Continue" }).first().click();
  await page.getByLabel("Email address").fill("new.subscriber@example.test");
  await page.getByRole("button", { name: "Email me a link" }).click();
  const mail = await smtp.nextMessage("new.subscriber@example.test");
  const link = new URL(mail.links.find((l) => l.includes("/signin/verify"))!);
  await page.goto(`${app.url}${link.pathname}${link.search}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${app.url}/subscribe`);

  // Checkout is Stripe's page; here the stand-in records it and the test pays.
  const checkout = page.waitForRequest((r) => r.url().startsWith(`${stripe.url}/checkout/`));
  await page.getByRole("button", { name: "Subscribe" }).first().click();
  const sessionId = (await checkout).url().split("/").at(-1)!;
  stripe.completeCheckout(sessionId);
  await page.goto(`${app.url}/subscribe/success?session_id=${sessionId}`);
  expect(await page.locator("h1").textContent()).toBe("Welcome, subscriber");
  expect(await page.locator(".masthead-subscribe").count()).toBe(0);

  await page.goto(`${app.url}/account`);
  expect(await page.locator(".account-badge").textContent()).toBe("Subscriber");
  await page.screenshot({ path: `${SCREENSHOTS}account-subscriber-desktop.png`, fullPage: true });
  await page.close();
});

test("a shared offer link shows the discounted price on phone and desktop", async () => {
  const { createOffer } = await import("../../src/billing/index.js");
  await createOffer(app.built.billing, {
    code: "SPRING",
    name: "Spring: half price for three months",
    percentOff: 50,
    duration: "repeating",
    durationInMonths: 3,
    appliesTo: "month",
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${app.url}/subscribe?offer=spring`);
  expect(await page.locator(".plan-price strong").first().textContent()).toBe("€2.49");
  expect(await page.locator(".plan-offer").textContent()).toBe("€2.49/month for 3 months, then €4.99");
  await page.screenshot({ path: `${SCREENSHOTS}subscribe-offer-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}subscribe-offer-phone.png`, fullPage: true });
  await page.goto(`${app.url}/subscribe?offer=NOSUCH`);
  expect(await page.locator(".offer-notice").textContent()).toContain("is not an offer we know");
  await page.screenshot({ path: `${SCREENSHOTS}subscribe-offer-unknown-phone.png` });
  await page.close();
});
