/**
 * Offers and a reader's own page in a real browser, with Stripe (the stand-in): an admin makes an offer and
 * shares its link, a reader opens it; an admin cancels a reader's subscription and deletes the reader.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser, signInToNewsroom } from "../support/browser.js";
import { postForm, signIn as signInReader } from "../support/members.js";
import { api, makeStaff, signInAs } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";
import { type StripeStandin, startStripeStandin } from "../support/stripe-standin.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const DAY = 86_400_000;

let smtp: TestSmtp;
let stripe: StripeStandin;
let app: TestApp;
let browser: Browser;
let adminEmail: string;
let adminCookie: string;

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
  adminEmail = (await makeStaff(app, "admin")).email;
  adminCookie = await signInAs(app, adminEmail);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
  await stripe?.close();
  await smtp?.close();
});

const signIn = (page: Page) => signInToNewsroom(page, app.url, adminEmail);

/** A desktop and a phone screenshot of the page as it is now. */
async function screenshots(page: Page, name: string, fullPage = true): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage });
  await page.setViewportSize(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, fullPage });
  await page.setViewportSize(DESKTOP);
}

const openScreen = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Newsroom" }).getByRole("link", { name, exact: true }).click();

/** A date as the browser shows it (the app formats dates in the admin's own locale and time zone). */
const shownDate = (page: Page, iso: string) =>
  page.evaluate((at) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(at)), iso);

/** YYYY-MM-DD of a local day, as a date input takes it. */
const dayInput = (at: Date) =>
  `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;

test("an admin makes an offer, its copied link shows a reader the lower price, and once paused it says so", async () => {
  const taken = await api(app, "POST", "/admin/api/offers", {
    cookie: adminCookie,
    body: { code: "TAKEN", name: "Taken already", percentOff: 10, duration: "once" },
  });
  expect(taken.status).toBe(201);

  const page = await browser.newPage({ viewport: DESKTOP });
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  // Offers are reached from the Plan screen (and the menu).
  await openScreen(page, "Plan");
  await page.locator(".page-actions").getByRole("link", { name: "Offers" }).click();
  await page.waitForURL(`${app.url}/admin/offers`);
  const offerRow = (code: string) => page.locator(".offer-table tbody tr", { hasText: code });
  await offerRow("TAKEN").waitFor();
  expect(await page.locator(".alert-info").count()).toBe(0);

  // The server refuses a code already in use (whatever its case), and says so under the field.
  const ends = new Date(Date.now() + 60 * DAY);
  await page.getByRole("button", { name: "New offer" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Name/).fill("Spring readers: half price");
  await dialog.getByLabel(/^Code/).fill("taken");
  await dialog.getByLabel("Percent off").fill("50");
  await dialog.getByLabel("For how long").selectOption({ label: "A number of months" });
  await dialog.getByLabel("Months", { exact: true }).fill("3");
  await dialog.getByLabel(/^Places/).fill("100");
  await dialog.getByLabel(/^Ends on/).fill(dayInput(ends));
  await dialog.getByRole("button", { name: "Make offer" }).click();
  await expect
    .poll(() => page.locator("#code-error").textContent())
    .toBe('An offer with the code "taken" already exists.');
  expect(await dialog.getByLabel(/^Code/).getAttribute("aria-invalid")).toBe("true");
  await screenshots(page, "newsroom-offer-new", false);

  await dialog.getByLabel(/^Code/).fill("SPRING50");
  await dialog.getByRole("button", { name: "Make offer" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("SPRING50 is ready to share");
  const spring = offerRow("SPRING50");
  await spring.waitFor();
  expect(await spring.locator("td").nth(1).textContent()).toBe("50% off for 3 months");
  expect(await spring.locator("td").nth(2).textContent()).toBe("0 / 100");
  expect(await spring.locator("td").nth(3).textContent()).toBe(await shownDate(page, ends.toISOString()));
  expect(await spring.locator("td").nth(4).textContent()).toBe("Active");

  // An amount off, typed as money.
  await page.getByRole("button", { name: "New offer" }).click();
  await dialog.getByLabel(/^Name/).fill("Two euros off, for good");
  await dialog.getByLabel(/^Code/).fill("EURO2");
  await dialog.getByLabel("Discount").selectOption({ label: "An amount" });
  await dialog.getByLabel(/^Amount off/).fill("2");
  await dialog.getByLabel("For how long").selectOption({ label: "As long as they subscribe" });
  await dialog.getByRole("button", { name: "Make offer" }).click();
  await dialog.waitFor({ state: "hidden" });
  const euro = offerRow("EURO2");
  await euro.waitFor();
  expect(await euro.locator("td").nth(1).textContent()).toBe("€2 off forever");
  expect(await euro.locator("td").nth(2).textContent()).toBe("0No limit");
  expect(await euro.locator("td").nth(3).textContent()).toBe("No end");

  // The link on the page is the one copied, and it is the site's /subscribe?offer=CODE.
  const shown = await spring.locator(".offer-link code").textContent();
  expect(shown).toMatch(/^http:\/\/localhost:\d+\/subscribe\?offer=SPRING50$/);
  await page.getByRole("button", { name: "Copy the link of SPRING50" }).click();
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("Link copied");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  await screenshots(page, "newsroom-offers");

  // A reader with no cookies opens the link: the monthly price is halved for three months.
  const readerContext = await browser.newContext({ viewport: PHONE });
  const tab = await readerContext.newPage();
  await tab.goto(copied);
  expect(await tab.locator(".offer-notice h2").textContent()).toBe("Spring readers: half price");
  expect(await tab.locator(".plan-price strong").first().textContent()).toBe("€2.49");
  expect(await tab.locator(".plan-offer").first().textContent()).toBe("€2.49/month for 3 months, then €4.99");

  await page.getByRole("button", { name: "Pause SPRING50" }).click();
  await expect.poll(() => spring.locator("td").nth(4).textContent()).toBe("Paused");
  expect(await page.locator(".alert-ok").textContent()).toContain("SPRING50 is paused");
  await page.getByRole("button", { name: "Resume SPRING50" }).waitFor();
  await tab.reload();
  expect(await tab.locator(".offer-notice").textContent()).toContain("is no longer available");
  expect(await tab.locator(".plan-price strong").first().textContent()).toBe("€4.99");
  await tab.screenshot({ path: `${SCREENSHOTS}subscribe-offer-paused-phone.png`, fullPage: true });
  await readerContext.close();

  // Renaming keeps the code and the link; archiving ends the link for good.
  await page.getByRole("button", { name: "Rename SPRING50" }).click();
  await dialog.getByLabel("Name", { exact: true }).fill("Spring: half price");
  await dialog.getByRole("button", { name: "Rename" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expect.poll(() => spring.locator(".cell-title").textContent()).toBe("Spring: half price");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Archive EURO2" }).click();
  await expect.poll(() => euro.locator("td").nth(4).textContent()).toBe("Archived");
  expect(await euro.locator(".offer-link").count()).toBe(0);
  expect(await euro.getByRole("button").count()).toBe(0);

  // Whether a link works is the server's verdict, shown as it comes: here, an offer made in another currency.
  await page.getByRole("button", { name: "Resume SPRING50" }).click();
  await expect.poll(() => spring.locator("td").nth(4).textContent()).toBe("Active");
  await app.db.execute(sql`UPDATE offers SET currency = 'USD' WHERE code = 'SPRING50'`);
  await page.reload();
  await expect.poll(() => spring.locator("td").nth(4).textContent()).toBe("Other currency");

  const saved = await api(app, "GET", "/admin/api/offers", { cookie: adminCookie });
  const offers = (
    (await saved.json()) as {
      offers: { code: string; name: string; status: string; state: string; percentOff: number | null }[];
    }
  ).offers;
  expect(offers.find((o) => o.code === "SPRING50")).toMatchObject({
    status: "active",
    state: "other_currency",
    percentOff: 50,
    name: "Spring: half price",
  });
  expect(offers.find((o) => o.code === "EURO2")).toMatchObject({ status: "archived", state: "archived" });
  expect(pageErrors).toEqual([]);
  await page.close();
}, 120_000);

test("a reader's page shows their subscription and its offer; cancelling at period end shows the date; delete removes them", async () => {
  const made = await api(app, "POST", "/admin/api/offers", {
    cookie: adminCookie,
    body: { code: "WELCOME", name: "Welcome: a quarter off", percentOff: 25, duration: "forever" },
  });
  expect(made.status).toBe(201);
  const email = "detail.reader@example.test";
  const cookie = await signInReader(app, smtp, email);
  const checkout = await postForm(app, "/subscribe/checkout", { interval: "month", offer: "WELCOME" }, { cookie });
  expect(checkout.status).toBe(303);
  const { subscriptionId, events } = stripe.completeCheckout(checkout.headers.get("location")!.split("/").at(-1)!);
  for (const event of events) expect((await stripe.deliver(app.url, event)).status).toBe(200);

  const page = await browser.newPage({ viewport: DESKTOP });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  await openScreen(page, "Readers");
  await page.getByLabel("Search readers").fill(email);
  await page.getByLabel("Search readers").press("Enter");
  await page.locator(".reader-table").getByRole("link", { name: email }).click();
  await page.waitForURL(/\/admin\/readers\/[0-9a-f-]{36}$/);
  const memberId = page.url().split("/").at(-1)!;
  await expect.poll(() => page.locator("h1").textContent()).toBe(email);

  const detail = await api(app, "GET", `/admin/api/members/${memberId}`, { cookie: adminCookie });
  const periodEnd = ((await detail.json()) as { subscriptions: { currentPeriodEnd: string }[] }).subscriptions[0]!
    .currentPeriodEnd;
  const row = page.locator(".subscription-table tbody tr", { hasText: subscriptionId });
  expect(await row.locator("td").first().locator(".cell-title").textContent()).toMatch(/, monthly, €4\.99$/);
  expect(await row.locator(".badge").textContent()).toBe("Active");
  expect(await row.locator(".subscription-when").textContent()).toBe(`Renews on ${await shownDate(page, periodEnd)}`);
  expect(await row.locator("td").nth(2).textContent()).toBe("Welcome: a quarter offWELCOME");
  expect(await page.locator(".facts .badge").textContent()).toBe("Subscriber");
  expect(await page.locator(".event-table tbody tr").count()).toBeGreaterThan(0);
  expect(await page.locator(".event-table").textContent()).toContain("customer.subscription.created");
  await screenshots(page, "newsroom-reader-detail");

  await page.getByRole("button", { name: "Cancel subscription" }).click();
  const dialog = page.getByRole("dialog");
  expect(await dialog.getByLabel(/^At the end of the paid period/).isChecked()).toBe(true);
  await screenshots(page, "newsroom-reader-cancel", false);
  await dialog.getByRole("button", { name: "Cancel subscription" }).click();
  await dialog.waitFor({ state: "hidden" });
  const cancelDate = await shownDate(page, periodEnd);
  await expect
    .poll(() => page.locator(".alert-ok").textContent())
    .toContain(`subscription stops renewing: it ends on ${cancelDate}`);
  await expect.poll(() => row.locator(".subscription-when").textContent()).toBe(`Cancels on ${cancelDate}`);
  expect(stripe.objects.get(subscriptionId)).toMatchObject({ status: "active", cancel_at_period_end: true });

  // Deleting asks for the email, typed exactly.
  await page.getByRole("button", { name: "Delete reader" }).click();
  await dialog.getByLabel("Type their email address to confirm").fill("someone.else@example.test");
  await dialog.getByRole("button", { name: "Delete reader" }).click();
  await expect
    .poll(() => page.locator("#confirm-error").textContent())
    .toBe(`Type ${email} exactly to delete this reader.`);
  expect((await api(app, "GET", `/admin/api/members/${memberId}`, { cookie: adminCookie })).status).toBe(200);
  await screenshots(page, "newsroom-reader-delete", false);
  await dialog.getByLabel("Type their email address to confirm").fill(email);
  await dialog.getByRole("button", { name: "Delete reader" }).click();
  await page.waitForURL(`${app.url}/admin/readers`);
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain(`${email} was deleted`);
  // The list has loaded (empty now) before the search is typed, as a person would see it first.
  await expect.poll(() => page.locator(".empty").textContent()).toContain("No readers yet");
  await page.getByLabel("Search readers").fill(email);
  // A re-render while typing (here: dismissing the notice; in life, a card finishing its load) keeps the text.
  await page.locator(".alert-ok").getByRole("button", { name: "Dismiss" }).click();
  await page.locator(".alert-ok").waitFor({ state: "detached" });
  expect(await page.getByLabel("Search readers").inputValue()).toBe(email);
  await page.getByLabel("Search readers").press("Enter");
  await expect.poll(() => page.locator(".empty").textContent()).toContain("No readers match");

  expect((await api(app, "GET", `/admin/api/members/${memberId}`, { cookie: adminCookie })).status).toBe(404);
  // Stripe went first: the subscription ended there, not only in our database.
  expect(stripe.objects.get(subscriptionId)).toMatchObject({ status: "canceled" });
  expect(pageErrors).toEqual([]);
  await page.close();
}, 120_000);
