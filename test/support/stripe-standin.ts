/**
 * A local stand-in for the Stripe API: answers the calls Broadsheet makes with objects shaped like Stripe's
 * documented ones, keeps their state, and delivers webhook events signed exactly as Stripe signs them. Tests
 * change a subscription (a payment fails, it is cancelled, a period ends) and send the events Stripe would.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Stripe from "stripe";

export const TEST_WEBHOOK_SECRET = `whsec_${randomBytes(16).toString("hex")}`;
export const TEST_SECRET_KEY = "sk_test_standin";

type Obj = Record<string, unknown> & { id: string };
const id = (prefix: string) => `${prefix}_${randomBytes(8).toString("hex")}`;

export type StripeStandin = Awaited<ReturnType<typeof startStripeStandin>>;

export async function startStripeStandin(options: { now: () => Date }) {
  const objects = new Map<string, Obj>();
  const seconds = () => Math.floor(options.now().getTime() / 1000);
  const signer = new Stripe(TEST_SECRET_KEY);
  /** Every request the code made, for tests that check what was sent. */
  const requests: { method: string; path: string; form: Record<string, string> }[] = [];

  const server: Server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await bodyOf(req)));
    const url = new URL(req.url ?? "/", "http://standin");
    requests.push({ method: req.method ?? "GET", path: url.pathname, form });
    if (req.headers.authorization !== `Bearer ${TEST_SECRET_KEY}`)
      return send(res, 401, stripeError("Invalid API Key"));
    const route = `${req.method} ${url.pathname
      .replace(/\/(cus|cs|sub|prod|price)_[0-9a-z_]+/g, "/:id")
      .replace(/^\/v1\/coupons\/[^/]+$/, "/v1/coupons/:id")}`;
    const objectId = (url.pathname.match(/^\/v1\/[a-z_/]+?\/([A-Za-z0-9_]+)(\/[a-z]+)?$/)?.[1] ?? "") as string;
    switch (route) {
      case "POST /v1/products":
        return send(res, 200, store({ id: id("prod"), object: "product", name: form.name, active: true }));
      case "POST /v1/prices":
        return send(
          res,
          200,
          store({
            id: id("price"),
            object: "price",
            product: form.product,
            currency: form.currency,
            unit_amount: Number(form.unit_amount),
            recurring: { interval: form["recurring[interval]"], interval_count: 1 },
            type: "recurring",
            active: true,
          }),
        );
      case "POST /v1/customers":
        return send(
          res,
          200,
          store({ id: id("cus"), object: "customer", email: form.email, metadata: metadataOf(form, "metadata") }),
        );
      case "POST /v1/coupons": {
        if (!form.percent_off === !form.amount_off)
          return send(res, 400, stripeError("You must pass either percent_off or amount_off"));
        if (form.amount_off && !form.currency)
          return send(res, 400, stripeError("You must pass currency when passing amount_off"));
        if ((form.duration === "repeating") !== Boolean(form.duration_in_months))
          return send(res, 400, stripeError("duration_in_months goes with, and only with, duration=repeating"));
        if (form.redeem_by && Number(form.redeem_by) <= seconds())
          return send(res, 400, stripeError("redeem_by must be in the future"));
        return send(
          res,
          200,
          store({
            id: randomBytes(4).toString("hex").toUpperCase(),
            object: "coupon",
            name: form.name ?? null,
            percent_off: form.percent_off ? Number(form.percent_off) : null,
            amount_off: form.amount_off ? Number(form.amount_off) : null,
            currency: form.currency ?? null,
            duration: form.duration ?? "once",
            duration_in_months: form.duration_in_months ? Number(form.duration_in_months) : null,
            max_redemptions: form.max_redemptions ? Number(form.max_redemptions) : null,
            redeem_by: form.redeem_by ? Number(form.redeem_by) : null,
            times_redeemed: 0,
            valid: true,
            metadata: metadataOf(form, "metadata"),
            created: seconds(),
            livemode: false,
          }),
        );
      }
      case "POST /v1/coupons/:id": {
        const coupon = objects.get(objectId);
        if (coupon?.object !== "coupon") return send(res, 404, stripeError(`No such coupon: '${objectId}'`));
        const changed = Object.keys(form).filter((k) => k !== "name" && !k.startsWith("metadata["));
        // Stripe refuses any change to a coupon but its name and metadata.
        if (changed.length > 0) return send(res, 400, stripeError(`Received unknown parameter: ${changed[0]}`));
        return send(res, 200, update(objectId, { name: form.name ?? coupon.name }));
      }
      case "DELETE /v1/coupons/:id": {
        if (objects.get(objectId)?.object !== "coupon")
          return send(res, 404, stripeError(`No such coupon: '${objectId}'`));
        objects.delete(objectId);
        deletedCoupons.add(objectId);
        return send(res, 200, { id: objectId, object: "coupon", deleted: true });
      }
      case "POST /v1/checkout/sessions/:id/expire": {
        const session = objects.get(objectId);
        if (!session) return send(res, 404, stripeError(`No such checkout session: '${objectId}'`));
        if (session.status !== "open") return send(res, 400, stripeError("Only open sessions can be expired"));
        return send(res, 200, update(objectId, { status: "expired" }));
      }
      case "POST /v1/checkout/sessions": {
        const sessionId = id("cs_test");
        const couponId = form["discounts[0][coupon]"];
        const coupon = couponId ? objects.get(couponId) : undefined;
        if (couponId && coupon?.object !== "coupon")
          return send(res, 400, stripeError(`No such coupon: '${couponId}'`));
        if (coupon && !couponValid(coupon)) return send(res, 400, stripeError(`Coupon ${couponId} is not valid`));
        if (form.expires_at) {
          const after = Number(form.expires_at) - seconds();
          if (after < 30 * 60 || after > 24 * 3600)
            return send(res, 400, stripeError("expires_at must be 30 minutes to 24 hours after creation"));
        }
        return send(
          res,
          200,
          store({
            id: sessionId,
            object: "checkout.session",
            mode: form.mode,
            status: "open",
            payment_status: "unpaid",
            customer: form.customer,
            client_reference_id: form.client_reference_id,
            metadata: metadataOf(form, "metadata"),
            subscription: null,
            url: `${base()}/checkout/${sessionId}`,
            success_url: form.success_url,
            cancel_url: form.cancel_url,
            line_items_price: form["line_items[0][price]"],
            subscription_metadata: metadataOf(form, "subscription_data[metadata]"),
            trial_period_days: form["subscription_data[trial_period_days]"]
              ? Number(form["subscription_data[trial_period_days]"])
              : undefined,
            discounts: couponId ? [{ coupon: couponId, promotion_code: null }] : [],
            expires_at: form.expires_at ? Number(form.expires_at) : seconds() + 24 * 3600,
          }),
        );
      }
      case "GET /v1/checkout/sessions/:id":
      case "GET /v1/subscriptions/:id": {
        const found = objects.get(objectId);
        return found ? send(res, 200, found) : send(res, 404, stripeError(`No such object: '${objectId}'`));
      }
      case "GET /v1/subscriptions": {
        const data = [...objects.values()].filter((o) => o.object === "subscription");
        return send(res, 200, { object: "list", data, has_more: false, url: "/v1/subscriptions" });
      }
      case "POST /v1/subscriptions/:id": {
        const sub = objects.get(objectId);
        if (!sub) return send(res, 404, stripeError(`No such subscription: '${objectId}'`));
        if (form.cancel_at_period_end === undefined) return send(res, 400, stripeError("Only cancel_at_period_end"));
        return send(res, 200, update(objectId, { cancel_at_period_end: form.cancel_at_period_end === "true" }));
      }
      case "DELETE /v1/subscriptions/:id": {
        const sub = objects.get(objectId);
        if (!sub) return send(res, 404, stripeError(`No such subscription: '${objectId}'`));
        return send(res, 200, update(objectId, { status: "canceled", ended_at: seconds(), canceled_at: seconds() }));
      }
      case "POST /v1/billing_portal/sessions":
        return send(res, 200, {
          id: id("bps"),
          object: "billing_portal.session",
          customer: form.customer,
          return_url: form.return_url,
          url: `${base()}/portal/${form.customer}`,
        });
      default:
        return send(res, 404, stripeError(`Unrecognized request URL (${req.method}: ${url.pathname})`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const base = () => `http://127.0.0.1:${port}`;

  const deletedCoupons = new Set<string>();
  function couponValid(coupon: Obj): boolean {
    const max = coupon.max_redemptions as number | null;
    const redeemBy = coupon.redeem_by as number | null;
    return (max === null || Number(coupon.times_redeemed) < max) && (redeemBy === null || redeemBy > seconds());
  }

  function store(object: Obj): Obj {
    objects.set(object.id, object);
    return object;
  }
  function update(objectId: string, changes: Record<string, unknown>): Obj {
    const next = { ...objects.get(objectId)!, ...changes } as Obj;
    objects.set(objectId, next);
    return next;
  }
  function subscription(subId: string): Obj {
    return objects.get(subId)!;
  }
  function setPeriod(subId: string, periodEnd: Date): void {
    const sub = subscription(subId);
    const items = sub.items as { data: Record<string, unknown>[] };
    items.data[0] = { ...items.data[0], current_period_end: Math.floor(periodEnd.getTime() / 1000) };
  }

  function event(type: string, object: Obj) {
    return {
      id: id("evt"),
      object: "event",
      api_version: "2026-10-28.endive",
      created: seconds(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
  }
  const invoiceFor = (sub: Obj, status: "paid" | "open") => ({
    id: id("in"),
    object: "invoice",
    customer: sub.customer,
    status,
    parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
  });

  return {
    url: base(),
    /** What a server needs in its environment to use this stand-in as Stripe. */
    env: { STRIPE_SECRET_KEY: TEST_SECRET_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: base() },
    requests,
    objects,
    /**
     * The reader pays on Stripe's page: the subscription exists and the session is complete. As at Stripe, an
     * expired session cannot be paid, and a coupon past its limit or end date refuses the payment.
     */
    completeCheckout(sessionId: string, periodDays = 30) {
      const session = objects.get(sessionId)!;
      if (session.status !== "open" || Number(session.expires_at) <= seconds())
        throw new Error(`checkout session ${sessionId} is ${session.status}, not open`);
      const price = objects.get(String(session.line_items_price))!;
      const discount = (session.discounts as { coupon: string }[])[0];
      const coupon = discount && (objects.get(discount.coupon) ?? null);
      if (discount && (!coupon || !couponValid(coupon)))
        throw new Error(`coupon ${discount.coupon} is no longer valid for ${sessionId}`);
      if (coupon) update(coupon.id, { times_redeemed: Number(coupon.times_redeemed) + 1 });
      const trial = Number(session.trial_period_days ?? 0);
      const periodEnd = seconds() + (trial > 0 ? trial : periodDays) * 86_400;
      const sub = store({
        id: id("sub"),
        object: "subscription",
        status: trial > 0 ? "trialing" : "active",
        customer: session.customer,
        cancel_at_period_end: false,
        canceled_at: null,
        ended_at: null,
        trial_start: trial > 0 ? seconds() : null,
        created: seconds(),
        metadata: session.subscription_metadata,
        discounts: coupon ? [id("di")] : [],
        discount: coupon ? { id: id("di"), object: "discount", coupon, start: seconds(), end: null } : null,
        items: {
          object: "list",
          data: [
            {
              id: id("si"),
              object: "subscription_item",
              price,
              current_period_start: seconds(),
              current_period_end: periodEnd,
            },
          ],
        },
      });
      const completed = update(sessionId, { status: "complete", payment_status: "paid", subscription: sub.id });
      return {
        subscriptionId: sub.id,
        events: [
          event("checkout.session.completed", completed),
          event("customer.subscription.created", sub),
          event("invoice.paid", { ...invoiceFor(sub, "paid") } as Obj),
        ],
      };
    },
    failPayment(subId: string) {
      const sub = update(subId, { status: "past_due" });
      return [
        event("invoice.payment_failed", invoiceFor(sub, "open") as Obj),
        event("customer.subscription.updated", sub),
      ];
    },
    pay(subId: string, newPeriodEnd: Date) {
      setPeriod(subId, newPeriodEnd);
      const sub = update(subId, { status: "active" });
      return [event("invoice.paid", invoiceFor(sub, "paid") as Obj), event("customer.subscription.updated", sub)];
    },
    cancelAtPeriodEnd(subId: string) {
      return [event("customer.subscription.updated", update(subId, { cancel_at_period_end: true }))];
    },
    /** Stripe lets an unpaid Checkout lapse at its expires_at. */
    expireCheckout(sessionId: string) {
      return [event("checkout.session.expired", update(sessionId, { status: "expired" }))];
    },
    /** Stripe ends the subscription (unpaid after retries, or at the end of a cancelled period). */
    end(subId: string) {
      const sub = update(subId, { status: "canceled", ended_at: seconds(), canceled_at: seconds() });
      return [event("customer.subscription.deleted", sub)];
    },
    /**
     * Sends an event to the app as Stripe does: JSON body, Stripe-Signature over exactly those bytes, signed at
     * the stand-in's time (the app's clock in tests that fix it) unless `signedAt` says otherwise.
     */
    async deliver(
      appUrl: string,
      evt: ReturnType<typeof event>,
      secret = TEST_WEBHOOK_SECRET,
      signedAt: Date = options.now(),
    ) {
      const payload = JSON.stringify(evt);
      const timestamp = Math.floor(signedAt.getTime() / 1000);
      const header = signer.webhooks.generateTestHeaderString({ payload, secret, timestamp });
      return fetch(`${appUrl}/webhooks/stripe`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": header },
        body: payload,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type StripeTestEvent = ReturnType<StripeStandin["end"]>[number];

function metadataOf(form: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    const match = key.match(new RegExp(`^${prefix.replace(/[[\]]/g, "\\$&")}\\[([^\\]]+)\\]$`));
    if (match?.[1]) out[match[1]] = value;
  }
  return out;
}

function stripeError(message: string) {
  return { error: { type: "invalid_request_error", message } };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
  res.end(json);
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
