/**
 * Changing a member's email address: a recent sign-in first, the confirmation link only in the browser that asked,
 * and the old address told, with a link that undoes the change and signs out every session.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { htmlValidator } from "../support/html-validator.js";
import { postForm, sessionCookieOf, signIn, tokenFromEmail } from "../support/members.js";
import { type ReceivedMail, startSmtpServer, type TestSmtp } from "../support/smtp.js";

const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
let n = 0;
const newEmail = () => `changer${++n}@example.test`;
const MINUTE = 60_000;

describe.each(databaseKinds())("changing the email address on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });
  // Each test starts after the link limits' window (20 links per connection per quarter hour) has passed.
  beforeEach(() => clock.advance(16 * MINUTE));

  const account = (cookie: string) => app.get("/account", { headers: { cookie } });
  const emailOf = async (memberId: string) =>
    (await queryRows<{ email: string }>(app.db, sql`SELECT email FROM members WHERE id = ${memberId}`))[0]?.email;
  const memberIdOf = async (email: string) =>
    (await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`))[0]!.id;

  /** The next message to `email` holding a link to `path`, passing over other mail (a welcome, say). */
  async function mailWithLink(email: string, path: string): Promise<{ mail: ReceivedMail; token: string }> {
    for (;;) {
      const mail = await smtp.nextMessage(email);
      const link = mail.links.find((l) => new URL(l).pathname === path);
      if (link) return { mail, token: new URL(link).searchParams.get("token")! };
    }
  }

  /** Asks for a change from the browser holding `cookie` and returns the confirmation link's token. */
  async function askForChange(cookie: string, to: string): Promise<string> {
    const asked = await postForm(app, "/account/email", { email: to }, { cookie });
    expect(asked.status).toBe(303);
    expect(asked.headers.get("location")).toBe("/account?notice=email-link-sent");
    return tokenFromEmail(smtp, to, "/account/email/verify");
  }

  describe("a recent sign-in", () => {
    test("a change asked for long after signing in is refused until the member signs in again by link", async () => {
      const email = newEmail();
      const target = newEmail();
      const cookie = await signIn(app, smtp, email);
      clock.advance(16 * MINUTE);

      const refused = await postForm(app, "/account/email", { email: target }, { cookie });
      expect(refused.status).toBe(403);
      const html = await refused.text();
      expect(html).toContain("To change your email address, confirm it is you first");
      expect(html).toContain("your last sign-in was more than 15 minutes ago");
      expect(html).toContain('action="/signin"');
      expect(html).toContain(`<input type="hidden" name="email" value="${email}"/>`);
      const sentTo = await queryRows(app.db, sql`SELECT 1 FROM member_tokens WHERE email = ${target}`);
      expect(sentTo).toEqual([]);

      // The page's button: a sign-in link to the current address, opened in this browser.
      expect((await postForm(app, "/signin", { email, next: "/account" }, { cookie })).status).toBe(200);
      const token = await tokenFromEmail(smtp, email, "/signin/verify");
      const verified = await postForm(app, "/signin/verify", { token }, { cookie });
      expect(verified.headers.get("location")).toBe("/account");
      const fresh = sessionCookieOf(verified)!;
      expect((await account(cookie)).status).toBe(303);

      await askForChange(fresh, target);
    });

    test("a change asked for within 15 minutes of signing in needs nothing more", async () => {
      const cookie = await signIn(app, smtp, newEmail());
      clock.advance(15 * MINUTE);
      await askForChange(cookie, newEmail());
    });
  });

  describe("the confirmation link", () => {
    test("opened without the asking browser's session, or in another session, it is refused and changes nothing", async () => {
      const email = newEmail();
      const target = newEmail();
      const asking = await signIn(app, smtp, email);
      const sameMemberElsewhere = await signIn(app, smtp, email);
      const someoneElse = await signIn(app, smtp, newEmail());
      const memberId = await memberIdOf(email);
      const token = await askForChange(asking, target);

      for (const cookie of [undefined, sameMemberElsewhere, someoneElse]) {
        const headers = cookie ? { cookie } : undefined;
        const opened = await app.get(`/account/email/verify?token=${token}`, headers ? { headers } : {});
        expect(opened.status).toBe(403);
        expect(await opened.text()).toContain("This link works only in the browser where the change");
        const used = await postForm(app, "/account/email/verify", { token }, { cookie });
        expect(used.status).toBe(403);
        expect(await used.text()).toContain("This link works only in the browser where the change");
      }
      expect(await emailOf(memberId)).toBe(email);
      expect(
        await queryRows(
          app.db,
          sql`SELECT 1 FROM member_tokens WHERE purpose = 'email-undo'
      AND member_id = ${memberId}`,
        ),
      ).toEqual([]);

      // The link is still good where it was asked for.
      const opened = await app.get(`/account/email/verify?token=${token}`, { headers: { cookie: asking } });
      expect(opened.status).toBe(200);
      expect(await opened.text()).toContain(`use ${target} for your account`);
      const confirmed = await postForm(app, "/account/email/verify", { token }, { cookie: asking });
      expect(confirmed.headers.get("location")).toBe("/account?notice=email-changed");
      expect(await emailOf(memberId)).toBe(target);
    });

    test("signing out the asking browser makes its link useless", async () => {
      const cookie = await signIn(app, smtp, newEmail());
      const token = await askForChange(cookie, newEmail());
      await postForm(app, "/signout", {}, { cookie });
      const used = await postForm(app, "/account/email/verify", { token }, { cookie });
      expect(used.status).toBe(400);
      expect(await used.text()).toContain("This link has expired or was already used.");
    });
  });

  describe("the old address's notice", () => {
    test("the old address is told of the change, and its link gives the address back and signs out every session", async () => {
      const email = newEmail();
      const target = newEmail();
      const laptop = await signIn(app, smtp, email);
      const phone = await signIn(app, smtp, email);
      const memberId = await memberIdOf(email);
      const token = await askForChange(laptop, target);
      expect((await postForm(app, "/account/email/verify", { token }, { cookie: laptop })).status).toBe(303);
      expect(await emailOf(memberId)).toBe(target);

      const notice = await mailWithLink(email, "/account/email/undo");
      expect(notice.mail.subject).toContain("email address was changed");
      expect(notice.mail.text).toContain(`now uses ${target}`);
      // Whoever made the change asks for another one, still waiting when the undo comes.
      const third = newEmail();
      const pending = await askForChange(laptop, third);

      const opened = await app.get(`/account/email/undo?token=${notice.token}`);
      expect(opened.status).toBe(200);
      expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
      expect(await opened.text()).toContain("Undo the change");
      const undone = await postForm(app, "/account/email/undo", { token: notice.token });
      expect(undone.status).toBe(200);
      expect(await undone.text()).toContain(`Your account uses <strong>${email}</strong> again`);
      expect(await emailOf(memberId)).toBe(email);

      for (const cookie of [laptop, phone]) {
        const replayed = await account(cookie);
        expect(replayed.status).toBe(303);
        expect(await replayed.text()).not.toContain(email);
      }
      expect((await postForm(app, "/account/email/verify", { token: pending }, { cookie: laptop })).status).toBe(400);
      expect(await emailOf(memberId)).toBe(email);
      const again = await postForm(app, "/account/email/undo", { token: notice.token });
      expect(again.status).toBe(400);
      expect(await again.text()).toContain("An undo link works once, for 7 days.");
      expect(await (await account(await signIn(app, smtp, email))).text()).toContain(email);
    });

    test("an undo is refused when another account has taken the old address meanwhile", async () => {
      const email = newEmail();
      const cookie = await signIn(app, smtp, email);
      const memberId = await memberIdOf(email);
      const token = await askForChange(cookie, newEmail());
      await postForm(app, "/account/email/verify", { token }, { cookie });
      const notice = await mailWithLink(email, "/account/email/undo");
      await signIn(app, smtp, email);
      const refused = await postForm(app, "/account/email/undo", { token: notice.token });
      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain(`${email} now belongs to another account`);
      expect(await emailOf(memberId)).not.toBe(email);
    });
  });

  test("bad input to the email change's routes is a 400 naming the problem", async () => {
    const cookie = await signIn(app, smtp, newEmail());
    const cases: [Promise<Response>, string][] = [
      [app.get("/account/email/undo"), "token"],
      [app.get("/account/email/undo?token=short"), "token"],
      [postForm(app, "/account/email/undo", { token: "x".repeat(43), extra: "1" }), "extra"],
      [postForm(app, "/account/email/verify", {}, { cookie }), "token"],
      [postForm(app, "/account/email", { email: "not an address" }, { cookie }), "Enter an email address"],
    ];
    for (const [response, problem] of cases) {
      const res = await response;
      expect(res.status).toBe(400);
      expect(await res.text()).toContain(problem);
    }
    expect((await postForm(app, "/account/email/undo", { token: "x".repeat(43) })).status).toBe(400);
  });

  test("the refusal, undo and restored pages are valid, accessible HTML", async () => {
    const email = newEmail();
    const cookie = await signIn(app, smtp, email);
    const token = await askForChange(cookie, newEmail());
    const pages = [await app.get(`/account/email/verify?token=${token}`)];
    await postForm(app, "/account/email/verify", { token }, { cookie });
    const notice = await mailWithLink(email, "/account/email/undo");
    pages.push(await app.get(`/account/email/undo?token=${notice.token}`));
    pages.push(await postForm(app, "/account/email/undo", { token: notice.token }));
    const stale = await signIn(app, smtp, email);
    clock.advance(16 * MINUTE);
    pages.push(await postForm(app, "/account/email", { email: newEmail() }, { cookie: stale }));
    const failures: string[] = [];
    for (const page of pages) {
      const report = await htmlValidator.validateString(await page.text());
      for (const result of report.results) {
        for (const m of result.messages) failures.push(`${page.url}: ${m.ruleId} ${m.message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
