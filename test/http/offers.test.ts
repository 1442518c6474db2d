/**
 * Offers end to end, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the newsroom API and its Stripe coupons,
 * the shared /subscribe?offer=CODE page, Checkout with the coupon, places held and redeemed under a limit by
 * readers starting at once, and the member detail that shows which offer a subscription used.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { htmlValidator } from "../support/html-validator.js";
import { postForm, signIn } from "../support/members.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";
import { type StripeStandin, type StripeTestEvent, startStripeStandin } from "../support/stripe-standin.js";

const DAY = 86_400_000;

describe.each(databaseKinds())("offers on %s", (kind) => {
  let smtp: TestSmtp;
  let stripe: StripeStandin;
  let app: TestApp;
  let admin: StaffAccount;
  let editor: StaffAccount;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  let n = 0;
  const code = (prefix: string) => `${prefix}${++n}`;

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
    await app.make.settings();
    admin = await signedInStaff(app, "admin");
    editor = await signedInStaff(app, "editor");
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await smtp?.close();
  });

  type OfferView = {
    id: string;
    code: string;
    stripeCouponId: string;
    redeemed: number;
    held: number;
    status: string;
    state: string;
  };

  const createOffer = async (body: Record<string, unknown>) => {
    const res = await api(app, "POST", "/admin/api/offers", { cookie: admin.cookie, body });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { offer: OfferView }).offer;
  };
  const readOffer = async (id: string) =>
    (
      (await (await api(app, "GET", `/admin/api/offers/${id}`, { cookie: admin.cookie })).json()) as {
        offer: OfferView;
      }
    ).offer;
  const newReader = async () => {
    const email = `reader${++n}-${kind}@example.test`;
    return { email, cookie: await signIn(app, smtp, email) };
  };
  const deliverAll = async (events: StripeTestEvent[]) => {
    for (const event of events) expect((await stripe.deliver(app.url, event)).status).toBe(200);
  };
  const sessionIdOf = (res: Response) => res.headers.get("location")!.split("/").at(-1)!;

  test("an admin makes an offer and its Stripe coupon is made with the same terms", async () => {
    const expiresAt = new Date(clock.now().getTime() + 30 * DAY);
    const offer = await createOffer({
      code: code("Spring"),
      name: "Spring offer",
      percentOff: 50,
      duration: "repeating",
      durationInMonths: 3,
      maxRedemptions: 100,
      expiresAt: expiresAt.toISOString(),
      appliesTo: "month",
    });
    expect(offer).toMatchObject({ redeemed: 0, held: 0, status: "active", appliesTo: "month", currency: "EUR" });
    expect((offer as unknown as { shareUrl: string }).shareUrl).toMatch(
      new RegExp(`/subscribe\\?offer=${offer.code}$`),
    );
    const sent = stripe.requests.filter((r) => r.path === "/v1/coupons").at(-1)!;
    expect(sent.form).toEqual({
      name: "Spring offer",
      duration: "repeating",
      duration_in_months: "3",
      percent_off: "50",
      max_redemptions: "100",
      redeem_by: String(expiresAt.getTime() / 1000),
      "metadata[offer_id]": offer.id,
    });
    expect(stripe.objects.get(offer.stripeCouponId)).toMatchObject({ object: "coupon", percent_off: 50 });

    const amount = await createOffer({ code: code("Euro"), name: "One euro off", amountOff: 100, duration: "forever" });
    const coupon = stripe.objects.get(amount.stripeCouponId);
    expect(coupon).toMatchObject({ amount_off: 100, currency: "eur", duration: "forever", max_redemptions: null });

    const list = await (await api(app, "GET", "/admin/api/offers", { cookie: admin.cookie })).json();
    expect(list.offers.map((o: OfferView) => o.id)).toEqual(expect.arrayContaining([offer.id, amount.id]));
  });

  test("a bad offer is refused with 400 or 409 naming the field, and nothing is made at Stripe", async () => {
    const taken = await createOffer({ code: code("Taken"), name: "Taken", percentOff: 10, duration: "once" });
    const couponsBefore = stripe.requests.filter((r) => r.path === "/v1/coupons").length;
    const base = { code: code("Bad"), name: "Bad", percentOff: 10, duration: "once" };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...base, code: taken.code.toLowerCase() }, 409, "code"],
      [{ ...base, code: "two words" }, 400, "code"],
      [{ ...base, code: "x" }, 400, "code"],
      [{ ...base, name: "" }, 400, "name"],
      [{ ...base, percentOff: 0 }, 400, "percentOff"],
      [{ ...base, percentOff: 101 }, 400, "percentOff"],
      [{ ...base, amountOff: 100 }, 400, "amountOff"],
      [{ ...base, percentOff: undefined }, 400, "percentOff"],
      [{ ...base, percentOff: undefined, amountOff: 499 }, 400, "amountOff"],
      [{ ...base, duration: "repeating" }, 400, "durationInMonths"],
      [{ ...base, durationInMonths: 3 }, 400, "durationInMonths"],
      [{ ...base, duration: "weekly" }, 400, "duration"],
      [{ ...base, maxRedemptions: 0 }, 400, "maxRedemptions"],
      [{ ...base, expiresAt: "2031-05-01T00:00:00Z" }, 400, "expiresAt"],
      [{ ...base, appliesTo: "day" }, 400, "appliesTo"],
      [{ ...base, couponId: "X" }, 400, "couponId"],
    ];
    for (const [body, status, property] of cases) {
      const res = await api(app, "POST", "/admin/api/offers", { cookie: admin.cookie, body });
      const error = ((await res.json()) as { errors: { property: string | null }[] }).errors[0];
      expect({ body, status: res.status, property: error?.property }).toEqual({ body, status, property });
    }
    expect(stripe.requests.filter((r) => r.path === "/v1/coupons").length).toBe(couponsBefore);
    const editorTry = await api(app, "POST", "/admin/api/offers", { cookie: editor.cookie, body: base });
    expect(editorTry.status).toBe(403);
  });

  test("renaming renames the coupon; the discount cannot change; archiving deletes the coupon", async () => {
    const offer = await createOffer({ code: code("Rename"), name: "Before", percentOff: 20, duration: "once" });
    const patch = (body: unknown) => api(app, "PATCH", `/admin/api/offers/${offer.id}`, { cookie: admin.cookie, body });
    const renamed = await patch({ name: "After", status: "inactive" });
    expect((await renamed.json()).offer).toMatchObject({ name: "After", status: "inactive" });
    expect(stripe.objects.get(offer.stripeCouponId)).toMatchObject({ name: "After", percent_off: 20 });
    const discount = await patch({ percentOff: 30 });
    expect(discount.status).toBe(400);
    expect(((await discount.json()) as { errors: { property: string }[] }).errors[0]?.property).toBe("percentOff");

    const archived = await api(app, "POST", `/admin/api/offers/${offer.id}/archive`, {
      cookie: admin.cookie,
      body: {},
    });
    expect((await archived.json()).offer).toMatchObject({ status: "archived", stripeCouponId: null });
    expect(stripe.objects.has(offer.stripeCouponId)).toBe(false);
    const again = await patch({ status: "active" });
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe("OFFER_ARCHIVED");
    const unknown = await api(app, "GET", "/admin/api/offers/00000000-0000-4000-8000-000000000000", {
      cookie: admin.cookie,
    });
    expect(unknown.status).toBe(404);
  });

  test("the shared link shows the discounted price, and Checkout carries the coupon; the start records it", async () => {
    const offer = await createOffer({
      code: code("Half"),
      name: "Half price for three months",
      percentOff: 50,
      duration: "repeating",
      durationInMonths: 3,
      appliesTo: "month",
    });
    const page = await app.html(`/subscribe?offer=${offer.code.toLowerCase()}`);
    expect(page).toContain("Half price for three months");
    expect(page).toContain("€2.49/month for 3 months, then €4.99");
    expect(page).toContain(`<input type="hidden" name="offer" value="${offer.code}"/>`);
    // Only the monthly plan is discounted: the yearly card keeps its price and sends no offer.
    expect(page.match(/name="offer"/g)).toHaveLength(1);
    expect(page).toContain("€49.99");

    const reader = await newReader();
    const res = await postForm(
      app,
      "/subscribe/checkout",
      { interval: "month", offer: offer.code.toLowerCase() },
      { cookie: reader.cookie },
    );
    expect(res.status).toBe(303);
    const sessionId = sessionIdOf(res);
    const sent = stripe.requests.filter((r) => r.path === "/v1/checkout/sessions").at(-1)!;
    expect(sent.form["discounts[0][coupon]"]).toBe(offer.stripeCouponId);
    expect(sent.form["subscription_data[metadata][offer_id]"]).toBe(offer.id);
    expect(Number(sent.form.expires_at)).toBe(clock.now().getTime() / 1000 + 35 * 60);
    expect(await readOffer(offer.id)).toMatchObject({ held: 1, redeemed: 0 });

    const yearly = await postForm(
      app,
      "/subscribe/checkout",
      { interval: "year", offer: offer.code },
      {
        cookie: (await newReader()).cookie,
      },
    );
    expect(yearly.status).toBe(400);

    const { events } = stripe.completeCheckout(sessionId);
    await deliverAll(events);
    expect(await readOffer(offer.id)).toMatchObject({ held: 0, redeemed: 1 });
    expect(stripe.objects.get(offer.stripeCouponId)).toMatchObject({ times_redeemed: 1 });

    // The same reader cannot take a second place in it.
    const twice = await postForm(
      app,
      "/subscribe/checkout",
      { interval: "month", offer: offer.code },
      {
        cookie: reader.cookie,
      },
    );
    expect(twice.status).toBe(409);
  });

  test("unknown, expired, exhausted, paused, archived and other-currency codes are said plainly, with the usual prices; the newsroom gets the same verdict as each offer's state", async () => {
    const expiring = await createOffer({
      code: code("Brief"),
      name: "Brief",
      percentOff: 10,
      duration: "once",
      expiresAt: new Date(clock.now().getTime() + DAY).toISOString(),
    });
    const single = await createOffer({
      code: code("Single"),
      name: "One",
      percentOff: 10,
      duration: "once",
      maxRedemptions: 1,
    });
    const paused = await createOffer({ code: code("Paused"), name: "Paused", percentOff: 10, duration: "once" });
    await api(app, "PATCH", `/admin/api/offers/${paused.id}`, { cookie: admin.cookie, body: { status: "inactive" } });
    const archived = await createOffer({ code: code("Gone"), name: "Gone", percentOff: 10, duration: "once" });
    await api(app, "POST", `/admin/api/offers/${archived.id}/archive`, { cookie: admin.cookie, body: {} });
    // Made while the site sold in another currency: Stripe would refuse its coupon on a euro price.
    const dollars = await createOffer({ code: code("Dollars"), name: "Dollars", percentOff: 10, duration: "once" });
    await queryRows(app.db, sql`UPDATE offers SET currency = 'USD' WHERE id = ${dollars.id}`);
    expect((await readOffer(single.id)).state).toBe("active");
    const first = await newReader();
    const held = await postForm(app, "/subscribe/checkout", { interval: "month", offer: single.code }, first);
    expect(held.status).toBe(303);

    const says = async (offerCode: string, words: string) => {
      const res = await app.get(`/subscribe?offer=${encodeURIComponent(offerCode)}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(words);
      expect(html).toContain("Here are our usual prices.");
      expect(html).toContain("€4.99");
      expect(html).not.toContain('name="offer"');
    };
    await says("NOSUCHCODE", "is not an offer we know");
    await says('<script>alert("x")</script>', "is not an offer we know");
    expect(await (await app.get(`/subscribe?offer=${encodeURIComponent("<script>")}`)).text()).not.toContain(
      "<script>",
    );
    await says(single.code, "every place is gone");
    await says(paused.code, "is no longer available");
    await says(archived.code, "is no longer available");
    await says(dollars.code, "is no longer available");
    const stateOf = async (offer: OfferView) => (await readOffer(offer.id)).state;
    expect(await stateOf(single)).toBe("used_up");
    expect(await stateOf(paused)).toBe("paused");
    expect(await stateOf(archived)).toBe("archived");
    expect(await stateOf(dollars)).toBe("other_currency");
    expect(await stateOf(expiring)).toBe("active");
    const listed = (await (await api(app, "GET", "/admin/api/offers", { cookie: admin.cookie })).json()) as {
      offers: OfferView[];
    };
    expect(listed.offers.find((o) => o.id === paused.id)?.state).toBe("paused");
    clock.advance(2 * DAY);
    try {
      await says(expiring.code, "ended on");
      expect(await stateOf(expiring)).toBe("expired");
      const late = await postForm(
        app,
        "/subscribe/checkout",
        { interval: "month", offer: expiring.code },
        {
          cookie: (await newReader()).cookie,
        },
      );
      expect(late.status).toBe(409);
      expect(await late.text()).toContain("has ended");
      // The first reader never paid: their hold lapsed with their Checkout, so the place is free again.
      expect(await readOffer(single.id)).toMatchObject({ held: 0, state: "active" });
      expect(await app.html(`/subscribe?offer=${single.code}`)).toContain('name="offer"');
    } finally {
      clock.advance(-2 * DAY);
    }
    await says("x".repeat(200), "is not an offer we know");
  });

  test("readers starting Checkout at once never hold or redeem more places than the limit", async () => {
    const limit = 2;
    const offer = await createOffer({
      code: code("Few"),
      name: "For the first two",
      percentOff: 25,
      duration: "once",
      maxRedemptions: limit,
    });
    const readers = await Promise.all(Array.from({ length: 6 }, () => newReader()));
    const answers = await Promise.all(
      readers.map((r) => postForm(app, "/subscribe/checkout", { interval: "month", offer: offer.code }, r)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([303, 303, 409, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(await refused.text()).toContain("every place is gone");
    }
    expect(await readOffer(offer.id)).toMatchObject({ held: limit, redeemed: 0 });

    // Both pay; each subscription's events arrive twice and at once (the webhook and the success page race).
    const paid = answers.filter((a) => a.status === 303).map((a) => stripe.completeCheckout(sessionIdOf(a)));
    await Promise.all(paid.flatMap((p) => [deliverAll(p.events), deliverAll(p.events)]));
    expect(await readOffer(offer.id)).toMatchObject({ held: 0, redeemed: limit });
    const [rows] = await queryRows<{ n: number }>(
      app.db,
      sql`SELECT count(*)::int AS n FROM offer_redemptions WHERE offer_id = ${offer.id}`,
    );
    expect(rows?.n).toBe(limit);
  });

  test("a Checkout that expires unpaid gives its place back at once", async () => {
    const offer = await createOffer({
      code: code("Lapse"),
      name: "Lapse",
      percentOff: 10,
      duration: "once",
      maxRedemptions: 1,
    });
    const res = await postForm(app, "/subscribe/checkout", { interval: "month", offer: offer.code }, await newReader());
    expect((await readOffer(offer.id)).held).toBe(1);
    await deliverAll(stripe.expireCheckout(sessionIdOf(res)));
    expect((await readOffer(offer.id)).held).toBe(0);
  });

  test("the default offer is on /subscribe, where every paywall's Subscribe leads", async () => {
    const offer = await createOffer({
      code: code("House"),
      name: "House offer",
      amountOff: 200,
      duration: "once",
      isDefault: true,
    });
    const article = await app.make.article({ accessLevel: "paid", paragraphs: ["Open.", "Closed."], previewAfter: 1 });
    const articlePath = `/${article.section.slug}/${article.slug}`;
    const wall = await app.html(articlePath);
    // The paywall box names the price and the offer every new reader gets.
    expect(wall).toContain('<p class="paywall-price">€2.99 for your first month, then €4.99/month</p>');
    const link = wall.match(/href="(\/subscribe\?from=[0-9a-f-]{36}&amp;next=[^"]+)"/)?.[1]?.replaceAll("&amp;", "&");
    expect(link).toBeDefined();
    const page = await app.html(link!);
    expect(page).toContain("House offer");
    expect(page).toContain("€2.99 for your first month, then €4.99/month");
    expect(page).toContain(`<input type="hidden" name="offer" value="${offer.code}"/>`);
    await api(app, "PATCH", `/admin/api/offers/${offer.id}`, { cookie: admin.cookie, body: { isDefault: false } });
    expect(await app.html("/subscribe")).not.toContain("House offer");
    // The article page was cached with the offer in its wall: the change dropped it.
    expect(await app.html(articlePath)).toContain('<p class="paywall-price">€4.99/month</p>');
  });

  test("the paywall box names the plan's price, and a new price drops the cached page", async () => {
    const article = await app.make.article({ accessLevel: "paid", paragraphs: ["Open.", "Closed."], previewAfter: 1 });
    const articlePath = `/${article.section.slug}/${article.slug}`;
    expect(await app.html(articlePath)).toContain('<p class="paywall-price">€4.99/month</p>');
    const plan = (await (await api(app, "GET", "/admin/api/plan", { cookie: admin.cookie })).json()) as Record<
      string,
      unknown
    >;
    const { currency: _currency, stripeConnected: _connected, ...body } = plan;
    const dearer = await api(app, "PUT", "/admin/api/plan", {
      cookie: admin.cookie,
      body: { ...body, monthlyAmount: 900 },
    });
    expect(dearer.status).toBe(200);
    try {
      expect(await app.html(articlePath)).toContain('<p class="paywall-price">€9.00/month</p>');
    } finally {
      await api(app, "PUT", "/admin/api/plan", { cookie: admin.cookie, body });
    }
  });

  test("the subscribe page with an offer, and with a refused one, is valid HTML", async () => {
    const offer = await createOffer({ code: code("Valid"), name: "Valid", percentOff: 30, duration: "once" });
    const failures: string[] = [];
    for (const path of [`/subscribe?offer=${offer.code}`, "/subscribe?offer=NOPE"]) {
      const report = await htmlValidator.validateString(await app.html(path));
      for (const r of report.results) for (const m of r.messages) failures.push(`${path} ${m.ruleId}: ${m.message}`);
    }
    expect(failures).toEqual([]);
  });

  test("member detail: profile, access, subscriptions with their offer, grant and Stripe events; admins only", async () => {
    const offer = await createOffer({
      code: code("Detail"),
      name: "Detail offer",
      percentOff: 10,
      duration: "forever",
    });
    const reader = await newReader();
    const res = await postForm(app, "/subscribe/checkout", { interval: "month", offer: offer.code }, reader);
    const { subscriptionId, events } = stripe.completeCheckout(sessionIdOf(res));
    await deliverAll(events);
    const [member] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${reader.email}`);
    await api(app, "PUT", `/admin/api/members/${member!.id}/complimentary`, {
      cookie: admin.cookie,
      body: { until: "2031-05-20T00:00:00Z", note: "Press pass" },
    });

    const detail = await api(app, "GET", `/admin/api/members/${member!.id}`, { cookie: admin.cookie });
    expect(detail.status).toBe(200);
    const body = await detail.json();
    expect(body.member).toMatchObject({ id: member!.id, email: reader.email });
    expect(body.entitlement.kind).toBe("subscriber");
    expect(body.subscriptions).toEqual([
      expect.objectContaining({
        stripeSubscriptionId: subscriptionId,
        status: "active",
        interval: "month",
        amount: 499,
        currency: "EUR",
        currentPeriodStart: clock.now().toISOString(),
        currentPeriodEnd: new Date(clock.now().getTime() + 30 * DAY).toISOString(),
        offer: { id: offer.id, code: offer.code, name: "Detail offer" },
      }),
    ]);
    expect(body.complimentary).toMatchObject({ until: "2031-05-20T00:00:00.000Z", note: "Press pass" });
    expect(body.stripeEvents.map((e: { id: string }) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(body.stripeEvents.map((e: { type: string }) => e.type).sort()).toEqual([
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.paid",
    ]);
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/sk_test|whsec_|session_version|token/i);
    expect(Object.keys(body).sort()).toEqual([
      "complimentary",
      "entitlement",
      "member",
      "state",
      "stripeEvents",
      "subscriptions",
    ]);
    expect(body.state).toBe("complimentary");

    expect((await api(app, "GET", `/admin/api/members/${member!.id}`, { cookie: editor.cookie })).status).toBe(403);
    expect((await api(app, "GET", `/admin/api/members/${member!.id}`)).status).toBe(401);
    const missing = await api(app, "GET", "/admin/api/members/00000000-0000-4000-8000-000000000000", {
      cookie: admin.cookie,
    });
    expect(missing.status).toBe(404);
  });
});
