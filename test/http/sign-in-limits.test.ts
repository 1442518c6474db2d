/**
 * Attempt limits under bursts: simultaneous requests are counted before any password is checked or link sent,
 * so a burst gets no more through than the limit, on PGlite and on a PostgreSQL server alike.
 */
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LINK_LIMITS } from "../../src/members/index.js";
import { STAFF_SIGN_IN_LIMITS } from "../../src/newsroom/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, makeStaff, STAFF_PASSWORD, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const statusesOf = (responses: Response[]) => {
  const count = (status: number) => responses.filter((r) => r.status === status).length;
  return { checked: count(401), refused: count(429), other: responses.length - count(401) - count(429) };
};

describe.each(databaseKinds())("attempt limits under bursts on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  const clock = fixedClock(new Date("2031-07-01T08:00:00Z"));
  // A fresh client address per test, through X-Forwarded-For (TRUST_PROXY), so the tests do not share limits.
  let nextIp = 1;
  const newIp = () => `198.51.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({
      template: "empty",
      clock,
      database: kind,
      env: { SMTP_URL: smtp.url, TRUST_PROXY: "true" },
    });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  const inboxOf = (to: string) => smtp.pending().filter((mail) => mail.to === to).length;
  const signIn = (body: Record<string, string>, ip: string) =>
    api(app, "POST", "/admin/api/session", { body, headers: { "x-forwarded-for": ip } });

  test("50 simultaneous wrong passwords for one account from one IP: at most 5 are checked", async () => {
    const editor = await makeStaff(app, "editor");
    const ip = newIp();
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn({ email: editor.email, password: `wrong ${i}` }, ip)),
    );
    const { checked, refused, other } = statusesOf(burst);
    expect(other).toBe(0);
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(STAFF_SIGN_IN_LIMITS.accountAndIp.limit);
    expect(refused).toBe(50 - checked);
    // The right password inside the lock is refused too: it was never checked.
    expect((await signIn({ email: editor.email, password: STAFF_PASSWORD }, ip)).status).toBe(429);
  });

  test("50 simultaneous wrong passwords for one account from 50 IPs: at most 20 are checked", async () => {
    const editor = await makeStaff(app, "editor");
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signIn({ email: editor.email, password: `wrong ${i}` }, newIp())),
    );
    const { checked, refused } = statusesOf(burst);
    expect(checked).toBeLessThanOrEqual(STAFF_SIGN_IN_LIMITS.account.limit);
    expect(checked + refused).toBe(50);
    const locked = await signIn({ email: editor.email, password: STAFF_PASSWORD }, newIp());
    expect(locked.status).toBe(429);
    expect(await errorCodeOf(locked)).toBe("TOO_MANY_ATTEMPTS");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    clock.advance(STAFF_SIGN_IN_LIMITS.account.windowMs);
  });

  test("100 simultaneous sign-ins to different accounts from one IP: at most 20 are checked", async () => {
    const ip = newIp();
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => signIn({ email: `nobody${i}@example.test`, password: "wrong" }, ip)),
    );
    const { checked, refused } = statusesOf(burst);
    expect(checked).toBeLessThanOrEqual(STAFF_SIGN_IN_LIMITS.ip.limit);
    expect(checked + refused).toBe(100);
  });

  test("an account locked from many IPs lets in the right password with a two-factor code, and only that", async () => {
    const editor = await signedInStaff(app, "editor");
    const begun = await (await api(app, "POST", "/admin/api/two-factor", { cookie: editor.cookie, body: {} })).json();
    const totp = new TOTP({ secret: Secret.fromBase32(begun.secret), digits: 6, period: 30 });
    const codeNow = () => totp.generate({ timestamp: clock.now().getTime() });
    const confirmed = await api(app, "POST", "/admin/api/two-factor/confirm", {
      cookie: editor.cookie,
      body: { code: codeNow() },
    });
    expect(confirmed.status).toBe(204);
    clock.advance(30_000);

    for (let i = 0; i < STAFF_SIGN_IN_LIMITS.account.limit; i++) {
      expect((await signIn({ email: editor.email, password: `wrong ${i}` }, newIp())).status).toBe(401);
    }
    const ownIp = newIp();
    const withoutCode = await signIn({ email: editor.email, password: STAFF_PASSWORD }, ownIp);
    expect(withoutCode.status).toBe(429);
    const wrongCode = await signIn({ email: editor.email, password: STAFF_PASSWORD, code: "000000" }, ownIp);
    expect(wrongCode.status).toBe(401);
    expect(await errorCodeOf(wrongCode)).toBe("TWO_FACTOR_CODE_WRONG");
    clock.advance(30_000);
    const withCode = await signIn({ email: editor.email, password: STAFF_PASSWORD, code: codeNow() }, ownIp);
    expect(withCode.status).toBe(200);
    clock.advance(STAFF_SIGN_IN_LIMITS.account.windowMs);
  });

  test("30 simultaneous requests for a reader's sign-in link send at most 5 emails", async () => {
    const email = `reader-${kind}@example.test`;
    const ip = newIp();
    const burst = await Promise.all(
      Array.from({ length: 30 }, () =>
        app.get("/signin", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
          body: new URLSearchParams({ email }).toString(),
        }),
      ),
    );
    const sent = burst.filter((r) => r.status === 200).length;
    expect(burst.filter((r) => r.status === 429)).toHaveLength(30 - sent);
    expect(sent).toBeLessThanOrEqual(LINK_LIMITS.perEmail);
    await expect.poll(() => inboxOf(email)).toBe(sent);
  });

  test("10 simultaneous password resets for one address send at most 3", async () => {
    const author = await makeStaff(app, "author");
    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(app, "POST", "/admin/api/password-reset", {
          body: { email: author.email },
          headers: { "x-forwarded-for": newIp() },
        }),
      ),
    );
    const accepted = burst.filter((r) => r.status < 300).length;
    expect(accepted).toBeLessThanOrEqual(3);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(10 - accepted);
    await expect.poll(() => inboxOf(author.email)).toBe(accepted);
  });
});
