/** The account page and what it does: name, email change, sign out (everywhere), export, deletion. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { htmlValidator } from "../support/html-validator.js";
import { postForm, sessionCookieOf, signIn, tokenFromEmail } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
let n = 0;
const newEmail = () => `member${++n}@example.test`;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startApp({ template: "empty", clock, env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

const account = (cookie: string) => app.get("/account", { headers: { cookie } });
const registeredArticle = () =>
  app.make.article({ accessLevel: "registered", paragraphs: ["Open part.", "Members only part."], previewAfter: 1 });

describe("the account page", () => {
  test("without a session it sends the reader to sign in and back", async () => {
    const res = await app.get("/account");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/signin?next=%2Faccount");
  });

  test("a member renames themselves", async () => {
    const cookie = await signIn(app, smtp, newEmail());
    const saved = await postForm(app, "/account/name", { name: "Mira Novak" }, { cookie });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/account?notice=name-saved");
    const html = await (await app.get("/account?notice=name-saved", { headers: { cookie } })).text();
    expect(html).toContain('value="Mira Novak"');
    expect(html).toContain("Your name is saved.");
  });

  test("a new email address is used only once the link sent to it is followed", async () => {
    const oldEmail = newEmail();
    const cookie = await signIn(app, smtp, oldEmail);
    const target = newEmail();
    const asked = await postForm(app, "/account/email", { email: target }, { cookie });
    expect(asked.headers.get("location")).toBe("/account?notice=email-link-sent");
    expect(await (await account(cookie)).text()).toContain(oldEmail);

    const token = await tokenFromEmail(smtp, target, "/account/email/verify");
    const opened = await app.get(`/account/email/verify?token=${token}`, { headers: { cookie } });
    expect(opened.status).toBe(200);
    expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
    const confirmed = await postForm(app, "/account/email/verify", { token }, { cookie });
    expect(confirmed.headers.get("location")).toBe("/account?notice=email-changed");
    const html = await (await account(cookie)).text();
    expect(html).toContain(target);
    expect(html).not.toContain(oldEmail);
    expect((await postForm(app, "/account/email/verify", { token }, { cookie })).status).toBe(400);
  });

  test("an address that belongs to another account is refused when the link is followed", async () => {
    const taken = newEmail();
    await signIn(app, smtp, taken);
    const cookie = await signIn(app, smtp, newEmail());
    await postForm(app, "/account/email", { email: taken }, { cookie });
    const token = await tokenFromEmail(smtp, taken, "/account/email/verify");
    const refused = await postForm(app, "/account/email/verify", { token }, { cookie });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("already belongs to another account");
  });

  test("the data export holds the member's data and nobody else's", async () => {
    const mine = newEmail();
    const theirs = newEmail();
    const cookie = await signIn(app, smtp, mine);
    await signIn(app, smtp, theirs);
    const res = await app.get("/account/export", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="account-data.json"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.text();
    const data = JSON.parse(body);
    expect(data.member.email).toBe(mine);
    expect(data.links).toEqual([expect.objectContaining({ purpose: "sign-in", email: mine })]);
    expect(data.sessions).toEqual([{ signedInAt: clock.now().toISOString(), renewedAt: clock.now().toISOString() }]);
    expect(body).not.toContain(theirs);
    expect(body).not.toMatch(/token/i);
  });

  test("deleting the account removes the member and its links, and signs it out", async () => {
    const email = newEmail();
    const cookie = await signIn(app, smtp, email);
    expect(await (await app.get("/account/delete", { headers: { cookie } })).text()).toContain("Delete your account?");
    const deleted = await postForm(app, "/account/delete", { confirm: "yes" }, { cookie });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("Your account is deleted");
    expect(deleted.headers.getSetCookie().join()).toContain("bs_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect(await queryRows(app.db, sql`SELECT 1 FROM members WHERE email = ${email}`)).toEqual([]);
    expect(await queryRows(app.db, sql`SELECT 1 FROM member_tokens WHERE email = ${email}`)).toEqual([]);
    expect((await account(cookie)).status).toBe(303);
  });

  test("a deletion posted from another site is refused and changes nothing", async () => {
    const email = newEmail();
    const cookie = await signIn(app, smtp, email);
    const crossSite = { cookie, headers: { "sec-fetch-site": "cross-site", origin: "https://evil.example" } };
    expect((await postForm(app, "/account/delete", { confirm: "yes" }, crossSite)).status).toBe(403);
    expect(await queryRows(app.db, sql`SELECT 1 FROM members WHERE email = ${email}`)).toHaveLength(1);
  });
});

describe("sessions", () => {
  test("a tampered or forged cookie counts as signed out", async () => {
    const article = await registeredArticle();
    const path = `/${article.section.slug}/${article.slug}`;
    const cookie = await signIn(app, smtp, newEmail());
    expect(await (await app.get(path, { headers: { cookie } })).text()).toContain("Members only part.");
    const [payload, signature] = cookie.slice("bs_session=".length).split(".");
    const claim = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claim, expiresAt: claim.expiresAt + 1e9 })).toString(
      "base64url",
    );
    for (const bad of [`bs_session=${forgedPayload}.${signature}`, `${cookie.slice(0, -2)}xx`, "bs_session=junk"]) {
      const page = await app.get(path, { headers: { cookie: bad } });
      const html = await page.text();
      expect(html).not.toContain("Members only part.");
      expect(html).toContain('href="/signin"');
      expect(page.headers.getSetCookie().join()).toContain("Max-Age=0");
      expect((await account(bad)).status).toBe(303);
    }
  });

  test("signing out ends this browser's session", async () => {
    const cookie = await signIn(app, smtp, newEmail());
    const out = await postForm(app, "/signout", {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/");
    expect(out.headers.getSetCookie().join()).toContain("bs_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    expect((await account(cookie)).status).toBe(303);
  });

  test("signing out everywhere ends the other sessions at once, on the account page and on pages", async () => {
    const article = await registeredArticle();
    const path = `/${article.section.slug}/${article.slug}`;
    const email = newEmail();
    const laptop = await signIn(app, smtp, email);
    const phone = await signIn(app, smtp, email);
    expect(await (await app.get(path, { headers: { cookie: phone } })).text()).toContain("Members only part.");
    expect((await postForm(app, "/signout/everywhere", {}, { cookie: laptop })).status).toBe(303);

    expect((await account(phone)).status).toBe(303);
    // The sign-out is heard by every process, which then asks the database before trusting the claim.
    const later = await app.get(path, { headers: { cookie: phone } });
    expect(await later.text()).not.toContain("Members only part.");
    expect(later.headers.getSetCookie().join()).toContain("Max-Age=0");

    const again = await signIn(app, smtp, email);
    expect((await account(again)).status).toBe(200);
  });

  test("a fresh sign-in issues a new cookie and session, never the ones the browser already had", async () => {
    const email = newEmail();
    const first = await signIn(app, smtp, email);
    clock.advance(1000);
    await postForm(app, "/signin", { email }, { cookie: first });
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    const second = sessionCookieOf(await postForm(app, "/signin/verify", { token }, { cookie: first }));
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    // The session the browser had ends with it: a copy of the old cookie opens nothing.
    expect((await account(first)).status).toBe(303);
    expect((await account(second!)).status).toBe(200);
  });
});

test("the sign-in, link, account and delete pages are valid, accessible HTML", async () => {
  const email = newEmail();
  await postForm(app, "/signin", { email });
  const token = await tokenFromEmail(smtp, email, "/signin/verify");
  const pages = [await app.get("/signin?next=/x"), await app.get(`/signin/verify?token=${token}`)];
  pages.push(await postForm(app, "/signin", { email: newEmail() }));
  const cookie = sessionCookieOf(await postForm(app, "/signin/verify", { token }))!;
  pages.push(await account(cookie), await app.get("/account/delete", { headers: { cookie } }));
  const failures: string[] = [];
  for (const page of pages) {
    const report = await htmlValidator.validateString(await page.text());
    for (const result of report.results) {
      for (const m of result.messages) failures.push(`${page.url}: ${m.ruleId} ${m.message}`);
    }
  }
  expect(failures).toEqual([]);
});
