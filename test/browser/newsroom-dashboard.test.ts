/**
 * The dashboard in a real browser: today's figures and their bars from what readers did, the most read list
 * leading to the editor, and there an article's views per hour since it was published.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { api, signedInStaff } from "../support/newsroom.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));
const BROWSER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

let app: TestApp;
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp({ template: "demo" }), sharedBrowser()]);
  cookie = (await signedInStaff(app, "editor")).cookie;
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
});

async function openAsEditor(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const [name, value] = cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url }]);
  const page = await context.newPage();
  await page.goto(`${app.url}${path}`);
  return page;
}

const todayOf = async (name: string, page: Page) =>
  page
    .locator(".figure")
    .filter({ has: page.getByRole("heading", { name }) })
    .locator(".figure-today")
    .textContent();

test("the dashboard shows today's views and sign-ups, and the most read article opens in the editor", async () => {
  const before = await (await api(app, "GET", "/admin/api/dashboard", { cookie })).json();
  const [top, second] = await queryRows<{ id: string; title: string }>(
    app.db,
    sql`SELECT id, title FROM articles WHERE status = 'published' ORDER BY published_at DESC LIMIT 2`,
  );
  for (let i = 0; i < 40; i++) app.built.readCounts.count(top!.id, BROWSER_AGENT);
  for (let i = 0; i < 3; i++) app.built.readCounts.count(second!.id, BROWSER_AGENT);
  await app.built.readCounts.flush();
  await app.db.execute(sql`INSERT INTO members (email, created_at) VALUES ('dash1@example.test', now()),
                                                                          ('dash2@example.test', now())`);

  const page = await openAsEditor("/admin/dashboard");
  await page.locator(".figures").waitFor();
  const viewsToday = Number((await todayOf("Page views", page))?.replace(/\D/g, ""));
  expect(viewsToday).toBe(before.views.at(-1) + 43);
  const signUpsToday = Number((await todayOf("New sign-ups", page))?.replace(/\D/g, ""));
  expect(signUpsToday).toBe(before.signUps.at(-1) + 2);
  // Four charts of 14 bars each, today's in the accent colour.
  expect(await page.locator(".figure .bar-chart").count()).toBe(4);
  expect(await page.locator(".figure .bar-chart").first().locator("rect").count()).toBe(14);
  const first = page.locator(".most-read-list li").first();
  expect(await first.textContent()).toContain(top!.title);
  expect(await first.textContent()).toContain("40 views");
  expect(await page.getByRole("link", { name: "Today" }).getAttribute("aria-current")).toBe("page");
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-dashboard.png` });

  await first.getByRole("link").click();
  await page.locator(".ProseMirror").waitFor();
  await page.locator(".views-chart").waitFor();
  expect(await page.locator(".views-chart .figure-today").textContent()).toBe("40");
  await page.context().close();
});

test("an article's chart counts its views per hour from the hour it was first published", async () => {
  const [article] = await queryRows<{ id: string }>(
    app.db,
    sql`UPDATE articles SET first_published_at = date_trunc('hour', now()) - interval '3 hours'
         WHERE id = (SELECT id FROM articles WHERE status = 'published' ORDER BY published_at ASC LIMIT 1)
         RETURNING id`,
  );
  await app.db.execute(sql`DELETE FROM article_reads WHERE article_id = ${article!.id}`);
  await app.db.execute(sql`
    INSERT INTO article_reads (article_id, hour, reads) VALUES
      (${article!.id}, date_trunc('hour', now()) - interval '3 hours', 12),
      (${article!.id}, date_trunc('hour', now()) - interval '1 hour', 5)`);
  const page = await openAsEditor(`/admin/articles/${article!.id}`);
  await page.locator(".views-chart").waitFor();
  expect(await page.locator(".views-chart .figure-today").textContent()).toBe("17");
  // The first hour, two since and the current one: four bars, two of them empty.
  const bars = page.locator(".views-chart rect");
  expect(await bars.count()).toBe(4);
  expect(await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height")) > 0))).toEqual([
    true,
    false,
    true,
    false,
  ]);
  await page.context().close();
});
