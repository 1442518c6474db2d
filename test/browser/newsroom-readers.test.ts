/** The newsroom's readers and money screens in a real browser: readers, complimentary access, paywall, plan. */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser, signInToNewsroom } from "../support/browser.js";
import { api, makeStaff, signInAs } from "../support/newsroom.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

let app: TestApp;
let browser: Browser;
let adminEmail: string;
let editorEmail: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp({ template: "demo" }), sharedBrowser()]);
  adminEmail = (await makeStaff(app, "admin")).email;
  editorEmail = (await makeStaff(app, "editor")).email;
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
});

const signIn = (page: Page, email: string) => signInToNewsroom(page, app.url, email);

/** A desktop and a phone screenshot of the page as it is now. */
async function screenshots(page: Page, name: string): Promise<void> {
  // From the top, or the sticky bar lands in the middle of a full-page picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}

const openScreen = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Newsroom" }).getByRole("link", { name, exact: true }).click();

const readerRow = (page: Page, email: string) => page.locator(".reader-table tbody tr", { hasText: email });

test("an admin imports readers from a CSV, fixes the bad row it reports, and gives one of them free access", async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page, adminEmail);
  await openScreen(page, "Readers");
  await page.locator(".stats").waitFor();
  expect(await page.locator(".stat", { hasText: "Monthly revenue" }).locator("dd").textContent()).toMatch(/\d/);

  await page.getByRole("button", { name: "Import CSV" }).click();
  const dialog = page.getByRole("dialog");
  await dialog
    .getByLabel("Or paste the list")
    .fill("email,name\nann.import@example.test,Ann Import\nnot-an-address,Bad Row\nbo.import@example.test,Bo Import\n");
  await dialog.getByRole("button", { name: "Import" }).click();
  const problems = dialog.locator(".import-problems");
  await expect.poll(() => problems.textContent()).toContain("nothing was imported");
  expect(await problems.locator("li").allTextContents()).toEqual(['Line 3: "not-an-address" is not an email address.']);
  await screenshots(page, "newsroom-readers-import");
  const cookie = await signInAs(app, adminEmail);
  const refused = await api(app, "GET", "/admin/api/members?q=import%40example.test", { cookie });
  expect(((await refused.json()) as { total: number }).total).toBe(0);

  // The fixed list, this time as a file.
  await dialog.getByLabel("File").setInputFiles({
    name: "readers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("email,name\nann.import@example.test,Ann Import\nbo.import@example.test,Bo Import\n"),
  });
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("Imported 2 new readers");
  await dialog.waitFor({ state: "hidden" });
  await readerRow(page, "ann.import@example.test").waitFor();
  expect(await readerRow(page, "bo.import@example.test").locator(".badge:visible").textContent()).toBe("Free");
  // Each email leads to the reader's own page.
  expect(
    await readerRow(page, "bo.import@example.test")
      .getByRole("link", { name: "bo.import@example.test" })
      .getAttribute("href"),
  ).toMatch(/^\/admin\/readers\/[0-9a-f-]{36}$/);

  await page.getByRole("button", { name: "Give free access to ann.import@example.test" }).click();
  await dialog.getByLabel("Note (for the newsroom)").fill("Press pass");
  await dialog.getByRole("button", { name: "Give access" }).click();
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("ann.import@example.test has free access");
  await expect
    .poll(() => readerRow(page, "ann.import@example.test").locator(".badge:visible").textContent())
    .toBe("Complimentary");

  // The state filter is in the address, so reload keeps it.
  await page.getByLabel("State").selectOption("complimentary");
  await expect.poll(() => page.url()).toContain("filter=complimentary");
  await page.reload();
  await readerRow(page, "ann.import@example.test").waitFor();
  expect(await readerRow(page, "bo.import@example.test").count()).toBe(0);
  await page.getByLabel("State").selectOption("");
  await readerRow(page, "bo.import@example.test").waitFor();
  await screenshots(page, "newsroom-readers");

  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "End free access for ann.import@example.test" }).click();
  await expect
    .poll(() => readerRow(page, "ann.import@example.test").locator(".badge:visible").textContent())
    .toBe("Free");
  expect(pageErrors).toEqual([]);
  await page.close();
}, 90_000);

test("an admin lowers the anonymous allowance to 2 and an anonymous reader meets the wall on the third article", async () => {
  const articles = [];
  for (const n of [1, 2, 3]) {
    articles.push(
      await app.make.article({
        kind: "analysis",
        accessLevel: "paid",
        isMetered: true,
        title: `Tram line extension, part ${n}`,
        paragraphs: [`The tram line, part ${n}, opens in May.`, `Riders in part ${n} save twenty minutes.`, "More."],
        previewAfter: 1,
      }),
    );
  }
  const page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page, adminEmail);
  await openScreen(page, "Paywall");
  const anonymous = page.getByLabel("Anonymous readers");
  await anonymous.waitFor();
  await anonymous.fill("2");
  await page.getByLabel("Asking to subscribe").fill("Subscribe to keep reading about your city.");
  await page.getByRole("button", { name: "Save paywall" }).click();
  await expect.poll(() => page.locator(".saved").textContent()).toContain("Saved");

  // A reader with no cookies at all, not the signed-in admin (staff read everything unmetered).
  const reader = await browser.newContext();
  const tab = await reader.newPage();
  for (const [i, article] of articles.entries()) {
    await tab.goto(`${app.url}/${article.section.slug}/${article.slug}`);
    const prose = await tab.locator(".prose").textContent();
    if (i < 2) expect(prose).toContain(`Riders in part ${i + 1}`);
    else {
      expect(prose).not.toContain("Riders in part 3");
      expect(await tab.locator("#paywall-heading").textContent()).toBe("You have read your 2 free articles this month");
    }
  }
  await reader.close();

  // Saved settings come back when the page opens again, and the report counts the wall the reader met
  // (counts are kept in memory and written every 10 seconds; this writes them now).
  await app.built.paywallCounters.flush();
  await page.reload();
  await expect.poll(() => page.getByLabel("Anonymous readers").inputValue()).toBe("2");
  await page.getByRole("button", { name: "7 days" }).click();
  await expect.poll(() => page.url()).toContain("days=7");
  const reportRow = page.locator(".report-table tbody tr", { hasText: "Tram line extension, part 3" });
  await expect.poll(() => reportRow.locator(".numeric").allTextContents()).toEqual(["1", "0", "0"]);
  await screenshots(page, "newsroom-paywall");
  await page.close();
}, 90_000);

test("an admin sets the plan's prices as money, and a server error shows next to its field", async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page, adminEmail);
  await openScreen(page, "Plan");
  await page.getByLabel(/^Monthly price/).waitFor();
  expect(await page.locator(".alert-info").textContent()).toContain("STRIPE_SECRET_KEY");

  await page.getByLabel(/^Monthly price/).fill("5.50");
  await page.getByLabel(/^Yearly price/).fill("55");
  await page.getByLabel("What it includes").fill("   ");
  await page.getByRole("button", { name: "Save plan" }).click();
  await expect.poll(() => page.locator("#includes-error").textContent()).toBe("This cannot be empty.");
  expect(await page.getByLabel("What it includes").getAttribute("aria-invalid")).toBe("true");
  await screenshots(page, "newsroom-plan");

  await page.getByLabel("What it includes").fill("Every article, the morning briefing and the archive.");
  await page.getByRole("button", { name: "Save plan" }).click();
  await expect.poll(() => page.locator(".saved").textContent()).toContain("Saved");
  const cookie = await signInAs(app, adminEmail);
  const plan = (await (await api(app, "GET", "/admin/api/plan", { cookie })).json()) as Record<string, unknown>;
  expect(plan).toMatchObject({ monthlyAmount: 550, yearlyAmount: 5500, stripeConnected: false });

  // Offers are reached from the plan; without Stripe they can be made, and the screen says readers cannot pay yet.
  await page.locator(".page-actions").getByRole("link", { name: "Offers" }).click();
  await expect.poll(() => page.locator(".alert-info").textContent()).toContain("Stripe is not connected");
  expect(await page.locator(".empty").textContent()).toBe("No offers yet. Make one to share a discount as a link.");
  await page.close();
}, 60_000);

test("an editor lands on Today, reads the paywall settings without changing them and has no readers or plan screens", async () => {
  const page = await browser.newPage({ viewport: PHONE });
  await signIn(page, editorEmail);
  expect(page.url()).toBe(`${app.url}/admin/dashboard`);
  await page.locator(".figures").waitFor();
  expect(await page.locator("h1").textContent()).toBe("Today");
  const nav = page.getByRole("navigation", { name: "Newsroom" });
  expect(await nav.getByRole("link", { name: "Today" }).getAttribute("aria-current")).toBe("page");
  expect(await nav.getByRole("link").allTextContents()).toEqual([
    "Today",
    "Articles",
    "Home page",
    "Media",
    "Sections",
    "Paywall",
    "Newsletters",
  ]);
  await nav.getByRole("link", { name: "Paywall" }).click();
  const anonymous = page.getByLabel("Anonymous readers");
  await anonymous.waitFor();
  expect(await anonymous.isDisabled()).toBe(true);
  expect(await page.getByRole("button", { name: "Save paywall" }).count()).toBe(0);
  expect(await page.locator(".alert-info").textContent()).toContain("an admin can change them");
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-paywall-editor-phone.png`, fullPage: true });

  await page.goto(`${app.url}/admin/readers`);
  await expect.poll(() => page.locator(".alert-error").first().textContent()).toBeTruthy();
  await page.close();
}, 60_000);

test("a contributor, who may not see Today, lands on the article list as before", async () => {
  const contributor = await makeStaff(app, "contributor");
  const page = await browser.newPage({ viewport: DESKTOP });
  await signIn(page, contributor.email);
  expect(page.url()).toBe(`${app.url}/admin/articles`);
  await page.locator(".article-table").waitFor();
  const nav = page.getByRole("navigation", { name: "Newsroom" });
  expect(await nav.getByRole("link").allTextContents()).toEqual(["Articles", "Media"]);
  // The newsroom's name in the bar leads back to the landing.
  await page.getByRole("link", { name: "Newsroom", exact: true }).click();
  await page.waitForURL(`${app.url}/admin/articles`);
  await page.close();
}, 60_000);
