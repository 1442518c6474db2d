/** Paid access reaches a signed-in reader's pages at once when billing records it, and ends when it runs out. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { signIn } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startApp({ template: "empty", clock, env: { SMTP_URL: smtp.url } });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

async function memberIdOf(email: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`);
  return row!.id;
}

describe("entitlements", () => {
  test("paid access recorded by billing opens paid articles at once and closes when it ends", async () => {
    const article = await app.make.article({
      accessLevel: "paid",
      paragraphs: ["Everyone reads this.", "Only paying readers read the rest of the hospital audit."],
      previewAfter: 1,
    });
    const email = "paying@example.test";
    const cookie = await signIn(app, smtp, email);
    const read = () =>
      app
        .get(`/${article.section.slug}/${article.slug}`, { headers: { cookie } })
        .then(async (r) => ({ res: r, html: await r.text() }));

    const before = await read();
    expect(before.html).not.toContain("hospital audit");
    expect(before.html).toContain('href="/subscribe"');

    const memberId = await memberIdOf(email);
    const until = new Date(clock.now().getTime() + 2 * 3600_000);
    await members.setPaidAccess(app.db, memberId, { kind: "subscriber", until });
    await app.built.invalidator.invalidate([members.memberTag(memberId)]);

    const paid = await read();
    expect(paid.html).toContain("hospital audit");
    expect(paid.html).not.toContain('class="masthead-subscribe"');
    const renewed = paid.res.headers.getSetCookie().find((c) => c.startsWith("bs_session="));
    expect(renewed).toBeDefined();
    const paidCookie = renewed!.split(";")[0]!;

    clock.advance(2 * 3600_000 + 1000);
    const lapsed = await app.get(`/${article.section.slug}/${article.slug}`, { headers: { cookie: paidCookie } });
    expect(await lapsed.text()).not.toContain("hospital audit");
  });

  test("entitlementOf reads billing's verdict against the clock", () => {
    const now = new Date("2031-01-01T00:00:00Z");
    const later = new Date("2031-02-01T00:00:00Z");
    expect(members.entitlementOf({ paidAccess: null, paidAccessUntil: null }, now).entitlement).toBe("registered");
    expect(members.entitlementOf({ paidAccess: "complimentary", paidAccessUntil: null }, now)).toEqual({
      entitlement: "complimentary",
      endsAt: undefined,
    });
    expect(members.entitlementOf({ paidAccess: "subscriber", paidAccessUntil: later }, now)).toEqual({
      entitlement: "subscriber",
      endsAt: later.getTime(),
    });
    expect(members.entitlementOf({ paidAccess: "subscriber", paidAccessUntil: now }, now).entitlement).toBe(
      "registered",
    );
  });
});
