/** Signing up and in by emailed link, through a real SMTP server, and what a signed-in reader may read. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { postForm, sessionCookieOf, signIn, tokenFromEmail } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
const clock = fixedClock(new Date("2031-03-04T09:00:00Z"));
let title: string;
let n = 0;
const newEmail = () => `reader${++n}@example.test`;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startApp({ template: "empty", clock, env: { SMTP_URL: smtp.url } });
  title = (await content.getSettings(app.db)).title;
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

describe("signing up and in", () => {
  test("a new reader signs up by following the emailed link, and the account page shows their email", async () => {
    const email = newEmail();
    const asked = await postForm(app, "/signin", { email });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Check your email");

    const mail = await smtp.nextMessage(email);
    expect(mail.subject).toBe(`Create your ${title} account`);
    expect(mail.from).toContain(title);
    expect(mail.html).toContain("Create my account");
    const link = mail.links.find((l) => l.includes("/signin/verify?token="))!;
    const token = new URL(link).searchParams.get("token")!;

    const opened = await app.get(`/signin/verify?token=${token}`);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    expect(opened.headers.get("cache-control")).toBe("no-store");
    expect(opened.headers.get("set-cookie")).toBeNull();
    expect(await opened.text()).toContain(`name="token" value="${token}"`);

    const verified = await postForm(app, "/signin/verify", { token });
    expect(verified.status).toBe(303);
    expect(verified.headers.get("location")).toBe("/account");
    expect(verified.headers.get("referrer-policy")).toBe("no-referrer");
    const setCookie = verified.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/^bs_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);

    const account = await app.get("/account", { headers: { cookie: sessionCookieOf(verified)! } });
    expect(account.status).toBe(200);
    expect(account.headers.get("cache-control")).toBe("no-store");
    expect(await account.text()).toContain(email);
    expect((await smtp.nextMessage(email)).subject).toBe(`Welcome to ${title}`);
  });

  test("a returning reader gets a sign-in email, not a second account", async () => {
    const email = newEmail();
    await signIn(app, smtp, email);
    expect((await smtp.nextMessage(email)).subject).toBe(`Welcome to ${title}`);
    await postForm(app, "/signin", { email: email.toUpperCase() });
    const mail = await smtp.nextMessage(email);
    expect(mail.subject).toBe(`Sign in to ${title}`);
    const rows = await queryRows(app.db, sql`SELECT id FROM members WHERE email = ${email}`);
    expect(rows).toHaveLength(1);
  });

  test("asking for a link answers the same for an address with an account and one without", async () => {
    const known = newEmail();
    await signIn(app, smtp, known);
    const unknown = newEmail();
    const [a, b] = [
      await postForm(app, "/signin", { email: known }),
      await postForm(app, "/signin", { email: unknown }),
    ];
    expect(a.status).toBe(b.status);
    expect((await a.text()).replaceAll(known, "ADDRESS")).toBe((await b.text()).replaceAll(unknown, "ADDRESS"));
    for (const name of ["content-type", "cache-control", "set-cookie", "vary", "content-length"]) {
      expect(a.headers.has(name), name).toBe(b.headers.has(name));
    }
  });

  test("a link works once", async () => {
    const email = newEmail();
    await postForm(app, "/signin", { email });
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    expect((await postForm(app, "/signin/verify", { token })).status).toBe(303);
    const again = await postForm(app, "/signin/verify", { token });
    expect(again.status).toBe(400);
    expect(sessionCookieOf(again)).toBeUndefined();
    expect(await again.text()).toContain("This link has expired or was already used.");
    expect((await app.get(`/signin/verify?token=${token}`)).status).toBe(400);
  });

  test("a link expires after 15 minutes", async () => {
    const email = newEmail();
    await postForm(app, "/signin", { email });
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    clock.advance(16 * 60_000);
    expect((await app.get(`/signin/verify?token=${token}`)).status).toBe(400);
    const used = await postForm(app, "/signin/verify", { token });
    expect(used.status).toBe(400);
    expect(sessionCookieOf(used)).toBeUndefined();
  });

  test("two concurrent uses of one link make one session", async () => {
    const email = newEmail();
    await postForm(app, "/signin", { email });
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    const results = await Promise.all([1, 2, 3].map(() => postForm(app, "/signin/verify", { token })));
    expect(results.map((r) => r.status).sort()).toEqual([303, 400, 400]);
    expect(results.filter((r) => sessionCookieOf(r))).toHaveLength(1);
    expect(await queryRows(app.db, sql`SELECT id FROM members WHERE email = ${email}`)).toHaveLength(1);
  });

  test("?next= leads back to a path on this site and nowhere else", async () => {
    const article = await app.make.article();
    const path = `/${article.section.slug}/${article.slug}`;
    const email = newEmail();
    await postForm(app, "/signin", { email, next: path });
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    expect((await postForm(app, "/signin/verify", { token })).headers.get("location")).toBe(path);

    for (const next of ["//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example"]) {
      expect(await (await app.get(`/signin?next=${encodeURIComponent(next)}`)).text()).not.toContain('name="next"');
      await postForm(app, "/signin", { email, next });
      const evilToken = await tokenFromEmail(smtp, email, "/signin/verify");
      expect((await postForm(app, "/signin/verify", { token: evilToken })).headers.get("location")).toBe("/account");
    }
  });

  test("a form posted from another site is refused with 403", async () => {
    const email = newEmail();
    const fromEvil = { headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" } };
    expect((await postForm(app, "/signin", { email }, fromEvil)).status).toBe(403);
    const oldBrowser = { headers: { "sec-fetch-site": "", origin: "https://evil.example" } };
    expect((await postForm(app, "/signin", { email }, oldBrowser)).status).toBe(403);
    expect(smtp.pending().filter((m) => m.to === email)).toEqual([]);
  });
});

describe("reading while signed in", () => {
  test("a registered-only article is whole for a member and a preview for anyone else, fresh or cached", async () => {
    const article = await app.make.article({
      accessLevel: "registered",
      paragraphs: ["Free opening paragraph.", "Registered-only second paragraph."],
      previewAfter: 1,
    });
    const path = `/${article.section.slug}/${article.slug}`;
    const cookie = await signIn(app, smtp, newEmail());

    for (const round of ["fresh", "cached"]) {
      const anonymous = await app.get(path);
      const anonymousHtml = await anonymous.text();
      expect(anonymousHtml, round).toContain("Free opening paragraph.");
      expect(anonymousHtml, round).not.toContain("Registered-only second paragraph.");
      expect(anonymousHtml).toContain(`href="/signin?next=${encodeURIComponent(path)}"`);
      expect(anonymousHtml).toContain(">Sign in</a>");
      expect(anonymous.headers.get("cache-control")).toBe(
        "public, max-age=30, stale-while-revalidate=30, stale-if-error=86400",
      );

      const member = await app.get(path, { headers: { cookie } });
      const memberHtml = await member.text();
      expect(memberHtml, round).toContain("Registered-only second paragraph.");
      expect(memberHtml).toContain('href="/account"');
      expect(memberHtml).not.toContain("Create a free account");
      expect(member.headers.get("cache-control")).toBe("private, no-cache");
      expect(member.headers.get("vary")).toContain("Cookie");
    }
    expect(app.built.cache.get(`anon:preview-register:${path}`)).toBeDefined();
    expect(app.built.cache.get(`member:full:${path}`)).toBeDefined();
  });

  test("a cookie whose claim has expired is renewed from the database without signing the reader out", async () => {
    const cookie = await signIn(app, smtp, newEmail());
    clock.advance(2 * 60 * 60_000);
    const res = await app.get("/", { headers: { cookie } });
    expect(await res.text()).toContain('href="/account"');
    const renewed = sessionCookieOf(res);
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(cookie);
  });
});

describe("the development outbox", () => {
  test("without SMTP_URL, email is kept in the email_outbox table and its link still signs in", async () => {
    const offline = await startApp({ template: "empty" });
    try {
      const email = newEmail();
      expect((await postForm(offline, "/signin", { email })).status).toBe(200);
      // Kept by the mail queue's runner moments after the request.
      const outboxRow = async () =>
        (
          await queryRows<{ subject: string; text: string; html: string }>(
            offline.db,
            sql`SELECT subject, text, html FROM email_outbox WHERE to_address = ${email}`,
          )
        )[0];
      await expect.poll(outboxRow).toBeDefined();
      const row = await outboxRow();
      expect(row?.subject).toBe(`Create your ${title} account`);
      expect(row?.html).toContain("<!doctype html>");
      const token = /\/signin\/verify\?token=([\w-]+)/.exec(row!.text)![1]!;
      const verified = await postForm(offline, "/signin/verify", { token });
      expect(sessionCookieOf(verified)).toBeDefined();
    } finally {
      await offline.close();
    }
  });
});

describe("limits", () => {
  let limited: TestApp;
  const limitClock = fixedClock(new Date("2031-03-04T09:00:00Z"));
  beforeAll(async () => {
    limited = await startApp({ template: "empty", clock: limitClock, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => limited.close());

  test("a sixth link for one address within 15 minutes is refused with 429 and Retry-After", async () => {
    const email = newEmail();
    for (let i = 0; i < 5; i++) expect((await postForm(limited, "/signin", { email })).status).toBe(200);
    const refused = await postForm(limited, "/signin", { email });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("900");
    expect(await refused.text()).toContain("Please try again in 15 minutes");
  });

  test("one connection may ask for 20 links, and a forged X-Forwarded-For does not reset the count", async () => {
    limitClock.advance(15 * 60_000);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const forged = { headers: { "x-forwarded-for": `203.0.113.${i}` } };
      statuses.push((await postForm(limited, "/signin", { email: newEmail() }, forged)).status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });
});
