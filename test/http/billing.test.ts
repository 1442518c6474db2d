/**
 * Subscriptions through the official Stripe SDK, pointed at a local stand-in, with webhooks signed as Stripe
 * signs them: checkout, the success page, payment failures and grace, cancellation, duplicates, replays and
 * out-of-order deliveries, bad signatures, and a site with no Stripe keys; on PGlite and on PostgreSQL.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as paywall from "../../src/paywall/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { postForm, sessionCookieOf, signIn } from "../support/members.js";
import { api, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";
import { type StripeStandin, type StripeTestEvent, startStripeStandin } from "../support/stripe-standin.js";

describe.each(databaseKinds())("billing on %s", (kind) => {
  let smtp: TestSmtp;
  let stripe: StripeStandin;
  let app: TestApp;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  let n = 0;
  const unique = () => ++n;
  let paidPath: string;
  let paidHeadline: string;
  const SECRET = "Only subscribers read how the tender was rigged.";

  beforeAll(async () => {
    smtp = await startSmtpServer();
    stripe = await startStripeStandin({ now: () => clock.now() });
    app = await startApp({
      template: "empty",
      clock,
      database: kind,
      env: {
        SMTP_URL: smtp.url,
        ...stripe.env,
      },
    });
    const article = await app.make.article({
      accessLevel: "paid",
      paragraphs: ["Anyone reads the opening.", SECRET],
      previewAfter: 1,
    });
    paidPath = `/${article.section.slug}/${article.slug}`;
    paidHeadline = article.title;
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await smtp?.close();
  });

  type Reader = { email: string; cookie: string };

  async function newReader(): Promise<Reader> {
    const email = `subscriber${unique()}@example.test`;
    return { email, cookie: await signIn(app, smtp, email) };
  }

  /** Reads the paid article, keeping any renewed session cookie as a browser would. */
  async function canRead(reader: Reader): Promise<boolean> {
    const res = await app.get(paidPath, { headers: { cookie: reader.cookie } });
    reader.cookie = sessionCookieOf(res) ?? reader.cookie;
    return (await res.text()).includes(SECRET);
  }

  /** Starts Checkout from /subscribe and returns the session id from the Stripe URL it redirects to. */
  async function checkout(reader: Reader, interval = "month"): Promise<string> {
    const res = await postForm(app, "/subscribe/checkout", { interval }, { cookie: reader.cookie });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${stripe.url}/checkout/cs_test_`)).toBe(true);
    return location.split("/").at(-1)!;
  }

  /** The next email to `email` whose subject has `about`, passing over others (a welcome, say). */
  async function mailAbout(email: string, about: string) {
    for (;;) {
      const mail = await smtp.nextMessage(email);
      if (mail.subject.includes(about)) return mail;
    }
  }

  async function deliverAll(events: StripeTestEvent[]): Promise<string[]> {
    const results: string[] = [];
    for (const event of events) {
      const res = await stripe.deliver(app.url, event);
      expect(res.status).toBe(200);
      results.push(((await res.json()) as { result: string }).result);
    }
    return results;
  }

  async function subscriptionRow(subId: string) {
    const [row] = await queryRows<{ status: string; cancel_at_period_end: boolean }>(
      app.db,
      sql`SELECT status, cancel_at_period_end FROM subscriptions WHERE stripe_subscription_id = ${subId}`,
    );
    return row;
  }

  describe("subscribing", () => {
    test("a reader subscribes through Checkout and reads at once from the success page on", async () => {
      const reader = await newReader();
      expect(await canRead(reader)).toBe(false);
      const sessionId = await checkout(reader);
      const sent = stripe.requests.find((r) => r.path === "/v1/checkout/sessions")!;
      expect(sent.form).toMatchObject({ mode: "subscription", "line_items[0][quantity]": "1" });
      stripe.completeCheckout(sessionId);

      // The success page applies the subscription itself: no webhook has arrived yet.
      const success = await app.get(`/subscribe/success?session_id=${sessionId}`, {
        headers: { cookie: reader.cookie },
      });
      expect(success.status).toBe(200);
      expect(await success.text()).toContain("Welcome, subscriber");
      reader.cookie = sessionCookieOf(success)!;
      expect(await canRead(reader)).toBe(true);
      expect((await mailAbout(reader.email, "subscription has started")).text).toContain("active");

      const account = await (await app.get("/account", { headers: { cookie: reader.cookie } })).text();
      expect(account).toContain("Your monthly subscription renews on");
      const portal = await postForm(app, "/account/billing", {}, { cookie: reader.cookie });
      expect(portal.status).toBe(303);
      expect(portal.headers.get("location")).toContain(`${stripe.url}/portal/cus_`);
    });

    test("a subscription started from an article's paywall is credited to that article", async () => {
      const reader = await newReader();
      const wall = await (await app.get(paidPath, { headers: { cookie: reader.cookie } })).text();
      const from = wall.match(/href="\/subscribe\?from=([0-9a-f-]{36})&amp;next=/)?.[1];
      expect(from).toBeDefined();
      const page = await (await app.get(`/subscribe?from=${from}`, { headers: { cookie: reader.cookie } })).text();
      expect(page).toContain(`<input type="hidden" name="from" value="${from}"/>`);
      const res = await postForm(
        app,
        "/subscribe/checkout",
        { interval: "year", from: from! },
        { cookie: reader.cookie },
      );
      const sessionId = res.headers.get("location")!.split("/").at(-1)!;
      stripe.completeCheckout(sessionId);
      await app.get(`/subscribe/success?session_id=${sessionId}`, { headers: { cookie: reader.cookie } });
      await app.built.paywallCounters.flush();
      const report = await paywall.paywallReport(app.db, "2031-01-01");
      expect(report.find((r) => r.articleId === from)?.subscriptions).toBe(1);
      const bad = await postForm(
        app,
        "/subscribe/checkout",
        { interval: "month", from: "x" },
        { cookie: reader.cookie },
      );
      expect(bad.status).toBe(400);
    });

    test("after paying from an article's paywall, the success page leads back to that article", async () => {
      const reader = await newReader();
      const wall = await (await app.get(paidPath, { headers: { cookie: reader.cookie } })).text();
      const link = wall.match(/href="(\/subscribe\?from=[0-9a-f-]{36}&amp;next=[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
      expect(link?.endsWith(`&next=${encodeURIComponent(paidPath)}`)).toBe(true);
      const page = await (await app.get(link!, { headers: { cookie: reader.cookie } })).text();
      expect(page).toContain(`<input type="hidden" name="next" value="${paidPath}"/>`);

      const res = await postForm(app, "/subscribe/checkout", { interval: "month", next: paidPath }, reader);
      const sessionId = res.headers.get("location")!.split("/").at(-1)!;
      const successUrl = stripe.requests.findLast((r) => r.path === "/v1/checkout/sessions")!.form.success_url!;
      const successPath = successUrl.slice(successUrl.indexOf("/subscribe/success"));
      expect(successPath).toBe(
        `/subscribe/success?session_id={CHECKOUT_SESSION_ID}&next=${encodeURIComponent(paidPath)}`,
      );
      stripe.completeCheckout(sessionId);
      // Stripe fills in the session id and sends the reader to the address as given.
      const success = await app.get(successPath.replace("{CHECKOUT_SESSION_ID}", sessionId), {
        headers: { cookie: reader.cookie },
      });
      const html = await success.text();
      expect(html).toContain(`href="${paidPath}"`);
      expect(html).toContain(`<a class="paywall-button" href="${paidPath}">Continue reading: ${paidHeadline}</a>`);
      expect(html).not.toContain("Start reading");
    });

    test("a hostile return address is dropped on the way to Checkout and back", async () => {
      const hostile = [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        decodeURIComponent("%2F%2Fevil.example"),
        "%2F%2Fevil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
      ];
      const reader = await newReader();
      let sessionId = "";
      for (const next of hostile) {
        const query = `/subscribe?next=${encodeURIComponent(next)}`;
        const page = await (await app.get(query, { headers: { cookie: reader.cookie } })).text();
        expect(page, next).not.toContain('name="next"');
        const res = await postForm(app, "/subscribe/checkout", { interval: "month", next }, reader);
        expect(res.status, next).toBe(303);
        sessionId = res.headers.get("location")!.split("/").at(-1)!;
        const sent = stripe.requests.findLast((r) => r.path === "/v1/checkout/sessions")!.form;
        expect(sent.success_url, next).toMatch(/\/subscribe\/success\?session_id=\{CHECKOUT_SESSION_ID\}$/);
      }
      stripe.completeCheckout(sessionId);
      for (const next of hostile) {
        const success = await app.get(`/subscribe/success?session_id=${sessionId}&next=${encodeURIComponent(next)}`, {
          headers: { cookie: reader.cookie },
        });
        expect(success.status, next).toBe(200);
        const html = await success.text();
        expect(html, next).toContain('<a class="paywall-button" href="/">Start reading</a>');
        expect(html, next).not.toContain("evil.example");
      }
    });

    test("someone else's checkout session is not applied to this reader", async () => {
      const owner = await newReader();
      const other = await newReader();
      const sessionId = await checkout(owner);
      stripe.completeCheckout(sessionId);
      const res = await app.get(`/subscribe/success?session_id=${sessionId}`, { headers: { cookie: other.cookie } });
      expect(res.status).toBe(404);
      expect(await canRead(other)).toBe(false);
    });
  });

  describe("webhooks", () => {
    test("payment failed → past due with access in the grace period → grace over → no access; paying restores it", async () => {
      const reader = await newReader();
      const { subscriptionId, events } = stripe.completeCheckout(await checkout(reader));
      expect(await deliverAll(events)).toEqual(["applied", "applied", "applied"]);
      expect(await canRead(reader)).toBe(true);

      await deliverAll(stripe.failPayment(subscriptionId));
      expect((await subscriptionRow(subscriptionId))?.status).toBe("past_due");
      expect((await mailAbout(reader.email, "could not take your")).text).toContain("Update my card");
      clock.advance(6 * 86_400_000);
      expect(await canRead(reader)).toBe(true);
      clock.advance(2 * 86_400_000);
      expect(await canRead(reader)).toBe(false);

      await deliverAll(stripe.pay(subscriptionId, new Date(clock.now().getTime() + 30 * 86_400_000)));
      expect(await canRead(reader)).toBe(true);
      clock.advance(-8 * 86_400_000);
    });

    test("cancelled at period end: access until the period ends, then none; resubscribing opens it again", async () => {
      const reader = await newReader();
      const { subscriptionId, events } = stripe.completeCheckout(await checkout(reader), 10);
      await deliverAll(events);
      await deliverAll(stripe.cancelAtPeriodEnd(subscriptionId));
      const account = await (await app.get("/account", { headers: { cookie: reader.cookie } })).text();
      expect(account).toContain("subscription ends on");
      clock.advance(9 * 86_400_000);
      expect(await canRead(reader)).toBe(true);
      clock.advance(2 * 86_400_000);
      expect(await canRead(reader)).toBe(false);
      await deliverAll(stripe.end(subscriptionId));

      const again = stripe.completeCheckout(await checkout(reader));
      await deliverAll(again.events);
      expect(await canRead(reader)).toBe(true);
      clock.advance(-11 * 86_400_000);
    });

    test("a duplicate or replayed event changes nothing", async () => {
      const reader = await newReader();
      const { subscriptionId, events } = stripe.completeCheckout(await checkout(reader));
      await deliverAll(events);
      const ended = stripe.end(subscriptionId);
      // Stripe's state moves on (a new subscription would be a new object); a replay of the old events is ignored.
      expect(await deliverAll([...events, ...events])).toEqual(Array(6).fill("duplicate"));
      await deliverAll(ended);
      expect(await deliverAll(ended)).toEqual(["duplicate"]);
      const [count] = await queryRows<{ n: number }>(
        app.db,
        sql`SELECT count(*)::int AS n FROM stripe_events WHERE id IN (${sql.join(
          [...events, ...ended].map((e) => sql`${e.id}`),
          sql`, `,
        )})`,
      );
      expect(count?.n).toBe(4);
    });

    test("metadata naming a member by a malformed id falls back to the customer, in the same transaction", async () => {
      const reader = await newReader();
      const { subscriptionId, events } = stripe.completeCheckout(await checkout(reader));
      // The subscription as Stripe holds it, which the app reads back, names its member by a broken id.
      const subscription = stripe.objects.get(subscriptionId)!;
      subscription.metadata = { ...(subscription.metadata as Record<string, string>), member_id: "not-a-uuid" };
      expect(await deliverAll(events)).toEqual(["applied", "applied", "applied"]);
      expect(await canRead(reader)).toBe(true);
    });

    test("the same events in any order end in the same state", async () => {
      const finals: string[] = [];
      for (let round = 0; round < 4; round++) {
        const reader = await newReader();
        const started = stripe.completeCheckout(await checkout(reader));
        const failed = stripe.failPayment(started.subscriptionId);
        const cancelled = stripe.end(started.subscriptionId);
        const all = [...started.events, ...failed, ...cancelled];
        const shuffled = all
          .map((e, i) => ({ e, key: (i * 7919 + round * 104_729) % 13 }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.e);
        await deliverAll(shuffled);
        const row = await subscriptionRow(started.subscriptionId);
        finals.push(`${row?.status}:${await canRead(reader)}`);
      }
      expect(finals).toEqual(Array(4).fill("canceled:true"));
    });

    test("a bad or missing signature is refused with 400 and nothing is recorded", async () => {
      const reader = await newReader();
      const { events } = stripe.completeCheckout(await checkout(reader));
      const forged = await stripe.deliver(app.url, events[0]!, "whsec_not_the_secret");
      expect(forged.status).toBe(400);
      expect(((await forged.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("BAD_SIGNATURE");
      const unsigned = await fetch(`${app.url}/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(events[0]),
      });
      expect(unsigned.status).toBe(400);
      const recorded = await queryRows(app.db, sql`SELECT 1 FROM stripe_events WHERE id = ${events[0]!.id}`);
      expect(recorded).toEqual([]);
      expect(await canRead(reader)).toBe(false);
    });

    test("a signature dated more than 5 minutes ahead is refused with 400 naming the header; within 5, it counts", async () => {
      const reader = await newReader();
      const { events } = stripe.completeCheckout(await checkout(reader));
      const at = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000);
      // Signed by the SDK with the right secret: only the time is wrong.
      const ahead = await stripe.deliver(app.url, events[0]!, undefined, at(6));
      expect(ahead.status).toBe(400);
      expect(((await ahead.json()) as { errors: { code: string; property: string }[] }).errors[0]).toMatchObject({
        code: "SIGNATURE_FROM_THE_FUTURE",
        property: "Stripe-Signature",
      });
      const farAhead = await stripe.deliver(app.url, events[0]!, undefined, at(60 * 24 * 365));
      expect(farAhead.status).toBe(400);
      const recorded = await queryRows(app.db, sql`SELECT 1 FROM stripe_events WHERE id = ${events[0]!.id}`);
      expect(recorded).toEqual([]);
      expect(await canRead(reader)).toBe(false);

      const old = await stripe.deliver(app.url, events[0]!, undefined, at(-6));
      expect(old.status).toBe(400);
      expect(((await old.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe("BAD_SIGNATURE");
      const slightlyAhead = await stripe.deliver(app.url, events[0]!, undefined, at(4));
      expect(slightlyAhead.status).toBe(200);
      await deliverAll(events.slice(1));
      expect(await canRead(reader)).toBe(true);
    });

    test("deleting an account cancels its subscription at Stripe first", async () => {
      const reader = await newReader();
      const { subscriptionId, events } = stripe.completeCheckout(await checkout(reader));
      await deliverAll(events);
      const deleted = await postForm(app, "/account/delete", { confirm: "yes" }, { cookie: reader.cookie });
      expect(deleted.status).toBe(200);
      expect(stripe.objects.get(subscriptionId)?.status).toBe("canceled");
    });
  });

  describe("in the newsroom", () => {
    test("an admin cancels a subscription at period end or at once, and deletes a reader after cancelling at Stripe", async () => {
      const admin = await signedInStaff(app, "admin");
      const editor = await signedInStaff(app, "editor");
      const memberIdOf = async (email: string) =>
        (await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`))[0]!.id;

      const atEnd = await newReader();
      const first = stripe.completeCheckout(await checkout(atEnd), 10);
      await deliverAll(first.events);
      const atEndId = await memberIdOf(atEnd.email);
      const refused = await api(app, "POST", `/admin/api/members/${atEndId}/cancel`, {
        cookie: editor.cookie,
        body: { atPeriodEnd: true },
      });
      expect(refused.status).toBe(403);
      const soft = await api(app, "POST", `/admin/api/members/${atEndId}/cancel`, {
        cookie: admin.cookie,
        body: { atPeriodEnd: true },
      });
      expect(soft.status).toBe(204);
      expect(stripe.objects.get(first.subscriptionId)?.cancel_at_period_end).toBe(true);
      expect((await subscriptionRow(first.subscriptionId))?.cancel_at_period_end).toBe(true);
      expect(await canRead(atEnd)).toBe(true);

      const now = await newReader();
      const second = stripe.completeCheckout(await checkout(now));
      await deliverAll(second.events);
      expect(await canRead(now)).toBe(true);
      const nowId = await memberIdOf(now.email);
      const hard = await api(app, "POST", `/admin/api/members/${nowId}/cancel`, {
        cookie: admin.cookie,
        body: { atPeriodEnd: false },
      });
      expect(hard.status).toBe(204);
      expect((await subscriptionRow(second.subscriptionId))?.status).toBe("canceled");
      // Like any cancelled subscription, what was paid for is read to the end of the period; nothing renews.
      expect(await canRead(now)).toBe(true);
      const again = await api(app, "POST", `/admin/api/members/${nowId}/cancel`, {
        cookie: admin.cookie,
        body: { atPeriodEnd: false },
      });
      expect(again.status).toBe(409);

      const gone = await api(app, "DELETE", `/admin/api/members/${atEndId}`, { cookie: admin.cookie });
      expect(gone.status).toBe(204);
      expect(stripe.objects.get(first.subscriptionId)?.status).toBe("canceled");
      expect(await queryRows(app.db, sql`SELECT 1 FROM members WHERE id = ${atEndId}`)).toEqual([]);
      expect(await canRead(atEnd)).toBe(false);
      expect((await api(app, "DELETE", `/admin/api/members/${atEndId}`, { cookie: admin.cookie })).status).toBe(404);
    });
  });

  describe("without Stripe keys", () => {
    test("the site shows the plans, says subscriptions open soon, and complimentary access still works", async () => {
      const bare = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
      try {
        const page = await (await bare.get("/subscribe")).text();
        expect(page).toContain("Subscriptions open soon");
        expect(page).toContain('class="plan-price"');
        expect(page).not.toContain("STRIPE_SECRET_KEY"); // what to configure is for staff only
        const email = `comp${unique()}@example.test`;
        const cookie = await signIn(bare, smtp, email);
        const refused = await postForm(bare, "/subscribe/checkout", { interval: "month" }, { cookie });
        expect(refused.status).toBe(503);
        const [member] = await queryRows<{ id: string }>(bare.db, sql`SELECT id FROM members WHERE email = ${email}`);
        const { grantComplimentary } = await import("../../src/billing/index.js");
        await grantComplimentary(bare.built.billing, { memberId: member!.id, until: null });
        const article = await bare.make.article({
          accessLevel: "paid",
          paragraphs: ["Open.", SECRET],
          previewAfter: 1,
        });
        const html = await (await bare.get(`/${article.section.slug}/${article.slug}`, { headers: { cookie } })).text();
        expect(html).toContain(SECRET);
        // Nothing can be bought: the paywall box names no price.
        const wall = await (await bare.get(`/${article.section.slug}/${article.slug}`)).text();
        expect(wall).toContain('class="paywall"');
        expect(wall).not.toContain("paywall-price");
      } finally {
        await bare.close();
      }
    });
  });
});
