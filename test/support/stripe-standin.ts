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
    const route = `${req.method} ${url.pathname.replace(/\/(cus|cs|sub|prod|price)_[0-9a-z_]+/g, "/:id")}`;
    const objectId = url.pathname.split("/").at(-1) ?? "";
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
      case "POST /v1/checkout/sessions": {
        const sessionId = id("cs_test");
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
    requests,
    objects,
    /** The reader pays on Stripe's page: the subscription exists and the session is complete. */
    completeCheckout(sessionId: string, periodDays = 30) {
      const session = objects.get(sessionId)!;
      const price = objects.get(String(session.line_items_price))!;
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
    /** Stripe ends the subscription (unpaid after retries, or at the end of a cancelled period). */
    end(subId: string) {
      const sub = update(subId, { status: "canceled", ended_at: seconds(), canceled_at: seconds() });
      return [event("customer.subscription.deleted", sub)];
    },
    /** Sends an event to the app as Stripe does: JSON body, Stripe-Signature over exactly those bytes. */
    async deliver(appUrl: string, evt: ReturnType<typeof event>, secret = TEST_WEBHOOK_SECRET) {
      const payload = JSON.stringify(evt);
      const header = signer.webhooks.generateTestHeaderString({ payload, secret });
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
