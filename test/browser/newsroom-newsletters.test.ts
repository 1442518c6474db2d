/**
 * Newsletters in a real browser, through the real SMTP server: an admin makes a newsletter on its screen (the
 * server's refusal shown under its field), then sends a published article to it from the editor: a preview in a
 * sandboxed frame, a test to themself, the send after a confirmation naming its readers, the send's state, and
 * its report on the Newsletters screen; the sections a digest draws from, ticked and cleared in its dialog.
 */
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import * as email from "../../src/email/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { axeViolations } from "../support/axe.js";
import { closeContexts, sharedBrowser, signInToNewsroom } from "../support/browser.js";
import { makeStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const READER = "evening-reader@example.test";

let smtp: TestSmtp;
let app: TestApp;
let browser: Browser;
let adminEmail: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  [app, browser] = await Promise.all([startApp({ template: "demo", env: { SMTP_URL: smtp.url } }), sharedBrowser()]);
  adminEmail = (await makeStaff(app, "admin")).email;
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
  await smtp?.close();
});

const signIn = (page: Page) => signInToNewsroom(page, app.url, adminEmail);

test("an admin makes a newsletter on its screen and sends a published article to it from the editor", async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  await page
    .getByRole("navigation", { name: "Newsroom" })
    .getByRole("link", { name: "Newsletters", exact: true })
    .click();
  await page.waitForURL(`${app.url}/admin/newsletters`);
  await page.locator(".newsletter-table tbody tr", { hasText: "Morning Briefing" }).waitFor();

  // The server refuses a malformed slug and says so under the field.
  await page.getByRole("button", { name: "New newsletter" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Evening Edition");
  await dialog.getByLabel(/^Slug/).fill("Evening Edition!");
  await dialog.getByLabel("Cadence").selectOption("daily");
  await dialog.getByLabel(/^Hour/).fill("18");
  await dialog.getByRole("button", { name: "Make newsletter" }).click();
  await expect
    .poll(() => page.locator("#slug-error").textContent())
    .toBe("A slug is lower-case letters, digits and single dashes.");
  expect(await dialog.getByLabel(/^Slug/).getAttribute("aria-invalid")).toBe("true");
  await dialog.getByLabel(/^Slug/).fill("evening-edition");
  await dialog.getByRole("button", { name: "Make newsletter" }).click();
  const row = page.locator(".newsletter-table tbody tr", { hasText: "Evening Edition" });
  await row.waitFor();
  expect(await row.textContent()).toContain("Daily digest at 18:00");

  // One reader chooses it; the screen counts them.
  const [made] = await queryRows<{ id: string }>(
    app.db,
    sql`SELECT id FROM newsletters WHERE slug = 'evening-edition'`,
  );
  const { member } = await members.ensureVerifiedMember(app.db, { email: READER, now: new Date() });
  await newsletters.saveChoices(app.db, {
    memberId: member.id,
    chosenIds: [made!.id],
    hasPaidAccess: false,
    source: "account",
    at: new Date(),
  });
  await page.reload();
  await expect.poll(() => row.locator("td.numeric").textContent()).toBe("1");

  // Archive and restore, each confirmed.
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Archive Evening Edition" }).click();
  await expect.poll(() => row.textContent()).toContain("Archived");
  await row.getByRole("button", { name: "Restore Evening Edition" }).click();
  await expect.poll(() => row.textContent()).toContain("Active");

  // From the editor of a published article: preview, a test to oneself, then the send.
  const [article] = await queryRows<{ id: string; title: string }>(
    app.db,
    sql`SELECT id, title FROM articles WHERE status = 'published' ORDER BY published_at DESC LIMIT 1`,
  );
  await page.goto(`${app.url}/admin/articles/${article!.id}`);
  await page.locator(".ProseMirror").waitFor();
  await page.getByRole("button", { name: "Send as newsletter" }).click();
  const send = page.getByRole("dialog", { name: "Send as newsletter" });
  await send.getByLabel("Newsletter").selectOption({ label: "Evening Edition (1 reader)" });
  expect(await send.textContent()).toContain("1 reader will get it.");

  await send.getByRole("button", { name: "Preview as free reader" }).click();
  const frame = send.locator("iframe.email-preview");
  expect(await frame.getAttribute("sandbox")).toBe("");
  await expect
    .poll(() => page.frameLocator("iframe.email-preview").locator("body").textContent())
    .toContain(article!.title);

  await send.getByRole("button", { name: "Send a test to me" }).click();
  const test = await smtp.nextMessage(adminEmail, 15_000);
  expect(test.subject).toBe(`[Test] ${article!.title}`);
  expect(smtp.acceptedFor(READER)).toHaveLength(0);

  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    d.accept();
  });
  await send.getByRole("button", { name: "Send to 1 reader" }).click();
  const issue = await smtp.nextMessage(READER, 15_000);
  expect(asked).toContain("as Evening Edition to 1 reader?");
  expect(issue.subject).toBe(article!.title);
  expect(issue.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  await expect
    .poll(() => send.locator(".send-list").textContent(), { timeout: 15_000 })
    .toContain("Evening Edition: Sent, 1 queued");
  expect(smtp.acceptedFor(READER)).toHaveLength(1);

  // The Newsletters screen reports the send: what went, and nothing left to cancel.
  await send.getByRole("button", { name: "Close" }).click();
  await page.goto(`${app.url}/admin/newsletters`);
  await row.getByRole("button", { name: "Sends of Evening Edition" }).click();
  const report = page.getByRole("dialog", { name: "Sends of Evening Edition" });
  const reported = report.locator(".send-report-table tbody tr", { hasText: article!.title });
  await expect.poll(() => reported.locator("td.numeric").allTextContents()).toEqual(["1", "1", "0", "0", "0", "0"]);
  expect(await reported.textContent()).toContain("Sent");
  expect(await reported.getByRole("button").count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test("an admin finds a suppressed address by part of it and takes it off the list", async () => {
  for (const [address, reason] of [
    ["gone-mailbox@example.test", "hard_bounce"],
    ["said-spam@example.test", "complaint"],
  ] as const) {
    await email.suppressAddress(app.db, { address, reason, source: "postmark", detail: "", at: new Date() });
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  await page
    .getByRole("navigation", { name: "Newsroom" })
    .getByRole("link", { name: "Suppressions", exact: true })
    .click();
  await page.waitForURL(`${app.url}/admin/suppressions`);
  const rows = page.locator(".suppression-table tbody tr");
  await rows.first().waitFor();
  expect(await rows.count()).toBe(2);

  await page.getByLabel("Search addresses").fill("GONE-mail");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/q=GONE-mail/);
  await expect.poll(() => rows.count()).toBe(1);
  expect(await rows.first().textContent()).toContain("Hard bounce");

  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    d.accept();
  });
  await page.getByRole("button", { name: "Remove gone-mailbox@example.test" }).click();
  await expect.poll(() => page.locator(".empty").textContent()).toBe("No suppressed address matches.");
  expect(asked).toContain("Take gone-mailbox@example.test off the list?");
  expect(await email.findSuppression(app.db, "gone-mailbox@example.test")).toBeUndefined();
  expect(await email.findSuppression(app.db, "said-spam@example.test")).toBeDefined();
  expect(pageErrors).toEqual([]);
});

test("an admin chooses the sections a digest draws from with checkboxes, and clears them again", async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  await page.goto(`${app.url}/admin/newsletters`);
  const row = page.locator(".newsletter-table tbody tr", { hasText: "Morning Briefing" });
  await row.waitFor();
  const edit = async () => {
    await row.getByRole("button", { name: "Edit Morning Briefing" }).click();
    return page.getByRole("dialog");
  };
  let dialog = await edit();
  const sectionsBox = page.locator("fieldset", { hasText: "Sections the digest draws from" });
  await sectionsBox.getByRole("checkbox", { name: "Politics" }).check();
  await sectionsBox.getByRole("checkbox", { name: "Business" }).check();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => row.textContent()).toContain("Daily digest at 07:00, from Politics, Business");
  const chosen = async () =>
    (await newsletters.listNewsletters(app.db)).find((n) => n.slug === "morning-briefing")?.sectionIds;
  const [politics, business] = await Promise.all(
    ["politics", "business"].map(async (slug) => (await content.findSectionBySlug(app.db, slug))?.id),
  );
  expect(await chosen()).toEqual([politics, business]);

  // Reopened, the choice is shown; unticked, the digest draws from every section again.
  dialog = await edit();
  expect(await sectionsBox.getByRole("checkbox", { name: "Politics" }).isChecked()).toBe(true);
  expect(await sectionsBox.getByRole("checkbox", { name: "Sport" }).isChecked()).toBe(false);
  expect(await axeViolations(page)).toEqual([]);
  await sectionsBox.getByRole("checkbox", { name: "Politics" }).uncheck();
  await sectionsBox.getByRole("checkbox", { name: "Business" }).uncheck();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => row.textContent()).not.toContain("from ");
  expect(await chosen()).toEqual([]);
  expect(pageErrors).toEqual([]);
});
