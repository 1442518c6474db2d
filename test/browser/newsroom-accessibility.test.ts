/**
 * axe-core, in a real browser, on the newsroom's screens an editor and an admin use every day: the dashboard, the
 * article list, the editor with a real article, the front-page picks, readers, media, settings, the paywall,
 * newsletters, suppressed addresses and the outbox with failed background work, at a laptop's and a phone's width. Every rule axe runs
 * by default.
 */
import { sql } from "drizzle-orm";
import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as email from "../../src/email/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { AXE_VIEWPORTS, axeViolations } from "../support/axe.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { signedInStaff } from "../support/newsroom.js";

/** Each screen's address and an element that is there once its data has loaded. */
const SCREENS: Record<string, { path: string; ready: string }> = {
  dashboard: { path: "/admin/dashboard", ready: ".figures" },
  "article list": { path: "/admin/articles", ready: ".article-table" },
  editor: { path: "", ready: ".ProseMirror" },
  "front-page picks": { path: "/admin/home", ready: "main h1" },
  readers: { path: "/admin/readers", ready: ".filters" },
  media: { path: "/admin/media", ready: "main h1" },
  settings: { path: "/admin/settings", ready: "main form" },
  paywall: { path: "/admin/paywall", ready: "main form" },
  "outbox, with a failed job": { path: "/admin/outbox", ready: ".failed-jobs tbody tr" },
  newsletters: { path: "/admin/newsletters", ready: ".newsletter-table" },
  suppressions: { path: "/admin/suppressions", ready: ".suppression-table tbody tr" },
};

const env = {} as { app: TestApp; browser: Browser; cookie: string };
beforeAll(async () => {
  [env.app, env.browser] = await Promise.all([startApp({ template: "demo" }), sharedBrowser()]);
  env.cookie = (await signedInStaff(env.app, "admin")).cookie;
  const [lead] = await queryRows<{ id: string }>(
    env.app.db,
    sql`SELECT id FROM articles WHERE status = 'published' ORDER BY published_at DESC LIMIT 1`,
  );
  if (!lead) throw new Error("the demo paper has no published article");
  await env.app.db.execute(
    sql`INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, finished_at, last_error)
        VALUES ('cdn:purge', '{"keys": ["home"]}'::jsonb, 'failed', 20, 20, now(), now(), now(),
                'webhook purge answered 503')`,
  );
  await email.suppressAddress(env.app.db, {
    address: "bounced@example.test",
    reason: "hard_bounce",
    source: "postmark",
    detail: "HardBounce: mailbox does not exist",
    at: new Date("2031-01-01T00:00:00Z"),
  });
  SCREENS.editor!.path = `/admin/articles/${lead.id}`;
});
afterAll(async () => {
  await closeContexts(env.browser);
  await env.app?.close();
});

async function violationsOn(screen: { path: string; ready: string }, options: BrowserContextOptions) {
  const context = await env.browser.newContext(options);
  const [name, value] = env.cookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: env.app.url }]);
  const page = await context.newPage();
  await page.goto(`${env.app.url}${screen.path}`);
  await page.locator(screen.ready).first().waitFor();
  const violations = await axeViolations(page);
  await context.close();
  return violations;
}

describe.each(Object.keys(AXE_VIEWPORTS))("the newsroom under axe at %s width", (viewport) => {
  test.each(Object.keys(SCREENS))("the %s screen has no violations", async (name) => {
    expect(await violationsOn(SCREENS[name]!, AXE_VIEWPORTS[viewport]!)).toEqual([]);
  });
});
