/**
 * Readers choose newsletters, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the defaults at registration,
 * the checkboxes of /account, and a newsletter's page with its double opt-in through the real SMTP server.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { postForm, signIn, tokenFromEmail } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

describe.each(databaseKinds())("readers choose newsletters on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  let briefing: newsletters.Newsletter;
  let alerts: newsletters.Newsletter;
  let analysis: newsletters.Newsletter;
  let n = 0;
  const address = (who: string) => `${who}-${++n}@example.test`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
    await app.make.settings();
    const deps = { db: app.db, clock };
    briefing = await newsletters.createNewsletter(deps, {
      name: "Briefing",
      isDefault: true,
      cadence: "daily",
      sendHour: 7,
    });
    alerts = await newsletters.createNewsletter(deps, { name: "Alerts", cadence: "per-article" });
    analysis = await newsletters.createNewsletter(deps, { name: "Deep Analysis", visibility: "paid" });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const choicesOf = async (email: string) =>
    queryRows<{ slug: string; is_subscribed: boolean; source: string }>(
      app.db,
      sql`SELECT n.slug, s.is_subscribed, s.source FROM newsletter_subscriptions s
          JOIN newsletters n ON n.id = s.newsletter_id JOIN members m ON m.id = s.member_id
          WHERE m.email = ${email} ORDER BY n.slug`,
    );

  test("a new reader receives the default newsletters, and changes them on /account with time and source", async () => {
    const email = address("reader");
    const cookie = await signIn(app, smtp, email);
    expect(await choicesOf(email)).toEqual([{ slug: "briefing", is_subscribed: true, source: "signup" }]);
    const page = await (await app.get("/account", { headers: { cookie } })).text();
    expect(page).toMatch(new RegExp(`value="${briefing.id}" checked`));
    expect(page).toContain("Deep Analysis (for subscribers)");

    const saved = await postForm(
      app,
      "/account/newsletters",
      { save: "newsletters", newsletter: alerts.id },
      { cookie },
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.get("location")).toBe("/account?notice=newsletters-saved");
    expect(await choicesOf(email)).toEqual([
      { slug: "alerts", is_subscribed: true, source: "account" },
      { slug: "briefing", is_subscribed: false, source: "account" },
    ]);

    // A paid newsletter without paid access, an unknown id, a stray field: refused, nothing changed.
    const body = new URLSearchParams([
      ["save", "newsletters"],
      ["newsletter", alerts.id],
      ["newsletter", analysis.id],
    ]);
    const paid = await app.get("/account/newsletters", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", cookie },
      body: body.toString(),
    });
    expect(paid.status).toBe(400);
    const unknown = { save: "newsletters", newsletter: "00000000-0000-4000-8000-000000000000" };
    expect((await postForm(app, "/account/newsletters", unknown, { cookie })).status).toBe(400);
    expect((await postForm(app, "/account/newsletters", { save: "newsletters", admin: "1" }, { cookie })).status).toBe(
      400,
    );
    expect((await postForm(app, "/account/newsletters", { save: "newsletters" })).status).toBe(303); // to sign in
    expect(await choicesOf(email)).toEqual([
      { slug: "alerts", is_subscribed: true, source: "account" },
      { slug: "briefing", is_subscribed: false, source: "account" },
    ]);
  });

  test("a newsletter's page is shared: the same bytes for everyone, with a form and no reader in it", async () => {
    const first = await app.get(`/newsletters/${alerts.slug}`);
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(html).toContain('action="/newsletters/alerts"');
    expect(html).not.toContain("@example.test");
    const again = await app.get(`/newsletters/${alerts.slug}`);
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect((await app.get("/newsletters/no-such-letter")).status).toBe(404);
    expect((await app.get("/newsletters/Bad%20Slug")).status).toBe(400);
    const paidPage = await (await app.get(`/newsletters/${analysis.slug}`)).text();
    expect(paidPage).not.toContain('name="email"');
  });

  test("a new address is subscribed only once it confirms the emailed link; a forged link is refused", async () => {
    const email = address("new");
    const asked = await postForm(app, `/newsletters/${alerts.slug}`, { email: email.toUpperCase() });
    expect(asked.status).toBe(200);
    expect(asked.headers.get("cache-control")).toBe("no-store");
    const token = await tokenFromEmail(smtp, email, "/newsletters/confirm");
    expect(await choicesOf(email)).toEqual([]);
    expect((await queryRows(app.db, sql`SELECT 1 FROM members WHERE email = ${email}`)).length).toBe(0);

    const [body, signature] = token.split(".") as [string, string];
    const claim = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
    const altered = `${Buffer.from(JSON.stringify({ ...claim, email: "victim@example.test" })).toString("base64url")}.${signature}`;
    for (const bad of [altered, `${body}.${"A".repeat(signature.length)}`, `${body}x.${signature}`]) {
      expect((await app.get(`/newsletters/confirm?token=${bad}`)).status).toBe(400);
      expect((await postForm(app, "/newsletters/confirm", { token: bad })).status).toBe(400);
    }
    expect((await app.get(`/newsletters/confirm?token=${"x".repeat(2000)}`)).status).toBe(400);

    const page = await app.get(`/newsletters/confirm?token=${token}`);
    expect(page.status).toBe(200);
    expect(await choicesOf(email)).toEqual([]);
    expect((await postForm(app, "/newsletters/confirm", { token })).status).toBe(200);
    // A new member: the defaults, as at registration, and the newsletter signed up to.
    expect(await choicesOf(email)).toEqual([
      { slug: "alerts", is_subscribed: true, source: "page" },
      { slug: "briefing", is_subscribed: true, source: "signup" },
    ]);
    expect((await postForm(app, "/newsletters/confirm", { token })).status).toBe(200);
    expect(await choicesOf(email)).toHaveLength(2);
  });

  test("sign-ups are checked and limited as sign-in links are", async () => {
    expect((await postForm(app, `/newsletters/${alerts.slug}`, { email: "not an address" })).status).toBe(400);
    expect((await postForm(app, `/newsletters/${analysis.slug}`, { email: address("paid") })).status).toBe(400);
    expect((await postForm(app, `/newsletters/${alerts.slug}`, { email: address("x"), extra: "1" })).status).toBe(400);
    const crossSite = await postForm(
      app,
      `/newsletters/${alerts.slug}`,
      { email: address("x") },
      {
        headers: { "sec-fetch-site": "cross-site" },
      },
    );
    expect(crossSite.status).toBe(403);
    const email = address("busy");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await postForm(app, `/newsletters/${alerts.slug}`, { email })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
