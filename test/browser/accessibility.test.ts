/**
 * axe-core, in a real browser, on the pages readers use: the front page, a section, an author, an article in full
 * and as a preview, search, subscribe and the account page. Every rule axe runs by default, at a laptop's and a phone's width.
 */
import type { Browser, BrowserContextOptions } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { AXE_VIEWPORTS, axeViolations, type Violation } from "../support/axe.js";
import { closeContexts, sharedBrowser } from "../support/browser.js";
import { signIn } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const env = {} as { app: TestApp; browser: Browser; smtp: TestSmtp; pages: Record<string, string>; member: string };
beforeAll(async () => {
  env.smtp = await startSmtpServer();
  [env.app, env.browser] = await Promise.all([
    startApp({ template: "demo", env: { SMTP_URL: env.smtp.url } }),
    sharedBrowser(),
  ]);
  const politics = await content.findSectionBySlug(env.app.db, "politics");
  const section = politics ? { section: politics } : {};
  const paragraphs = ["The harbour authority named its new chief on Tuesday.", "She starts in the spring."];
  const open = await env.app.make.article({ ...section, title: "Harbour chief named", paragraphs });
  const paid = await env.app.make.article({
    ...section,
    accessLevel: "paid",
    title: "What the harbour chief plans",
    paragraphs,
    previewAfter: 1,
  });
  // Reads, so the front page shows its "Most read" rail too.
  for (const [article, reads] of [
    [open, 3],
    [paid, 2],
  ] as const) {
    for (let i = 0; i < reads; i++) {
      const res = await fetch(`${env.app.url}/${article.section.slug}/${article.slug}`, {
        headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0" },
      });
      await res.arrayBuffer();
    }
  }
  await env.app.built.rounds.checkMostRead();
  expect(await env.app.html("/")).toContain('class="most-read"');
  env.pages = {
    front: "/",
    section: "/section/politics",
    author: "/author/aysel-mammadova",
    "article in full": `/${open.section.slug}/${open.slug}`,
    "article preview": `/${paid.section.slug}/${paid.slug}`,
    search: "/search?q=election",
    subscribe: "/subscribe",
    account: "/account",
  };
  env.member = await signIn(env.app, env.smtp, "reader.axe@example.test");
});
afterAll(async () => {
  await closeContexts(env.browser);
  await env.app?.close();
  await env.smtp?.close();
});

async function violationsOn(path: string, options: BrowserContextOptions): Promise<Violation[]> {
  const context = await env.browser.newContext(options);
  if (path === "/account") {
    const [name, value] = env.member.split("=") as [string, string];
    await context.addCookies([{ name, value, url: env.app.url }]);
  }
  const page = await context.newPage();
  const response = await page.goto(`${env.app.url}${path}`);
  expect(response?.status(), path).toBe(200);
  const violations = await axeViolations(page);
  await context.close();
  return violations;
}

describe.each(Object.keys(AXE_VIEWPORTS))("axe at %s width", (viewport) => {
  test.each(["front", "section", "author", "article in full", "article preview", "search", "subscribe", "account"])(
    "the %s page has no violations",
    async (name) => {
      const path = env.pages[name]!;
      expect(await violationsOn(path, AXE_VIEWPORTS[viewport]!)).toEqual([]);
    },
  );
});
