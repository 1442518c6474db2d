/** The only file that imports the Stripe SDK: the client, pointed at STRIPE_API_URL. */
import type Stripe from "stripe";

export type StripeClient = Stripe;
export type StripeSubscription = Stripe.Subscription;
export type StripeEvent = Stripe.Event;

export type StripeSettings = { secretKey: string; webhookSecret: string | undefined; apiUrl: string };

/** A configured Stripe account; the SDK (about 100 ms to load) is loaded by the first call that talks to it. */
export type StripeConnection = { client(): Promise<StripeClient> };

export function connectStripe(settings: StripeSettings): StripeConnection {
  let client: Promise<StripeClient> | undefined;
  return {
    client() {
      client ??= import("stripe").then(({ default: StripeSdk }) => createStripeClient(StripeSdk, settings));
      return client;
    },
  };
}

function createStripeClient(StripeSdk: typeof Stripe, settings: StripeSettings): StripeClient {
  const url = new URL(settings.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new StripeSdk(settings.secretKey, {
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Broadsheet" },
  });
}

/** How far a webhook signature's time may be from ours, either way: Stripe's own default, five minutes. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookCheck =
  | { kind: "verified"; event: Stripe.Event }
  | { kind: "refused"; reason: "signature" | "future" };

/**
 * The event in a webhook delivery, if its signature over the raw body is Stripe's and was made within five
 * minutes of `now`. The SDK refuses a signature older than that (a replay) but not one dated ahead, which
 * would stay fresh until its time came: that is refused here. Both are measured against our clock.
 */
export function verifyWebhook(
  stripe: Stripe,
  input: { rawBody: Buffer; signature: string; secret: string; now: Date },
): WebhookCheck {
  const { rawBody, signature, secret, now } = input;
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(
      rawBody,
      signature,
      secret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      now.getTime(),
    );
  } catch {
    return { kind: "refused", reason: "signature" };
  }
  const signedAt = signedAtOf(signature);
  if (signedAt === undefined || signedAt - Math.floor(now.getTime() / 1000) > WEBHOOK_TOLERANCE_SECONDS) {
    return { kind: "refused", reason: "future" };
  }
  return { kind: "verified", event };
}

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one counts), in Unix seconds. */
function signedAtOf(signature: string): number | undefined {
  let signedAt: number | undefined;
  for (const item of signature.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") signedAt = Number.parseInt(value ?? "", 10);
  }
  return signedAt !== undefined && Number.isFinite(signedAt) ? signedAt : undefined;
}

export type CouponSpec = {
  offerId: string;
  name: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string;
  duration: "once" | "repeating" | "forever";
  durationInMonths: number | null;
  maxRedemptions: number | null;
  expiresAt: Date | null;
};

/**
 * The Stripe coupon for an offer. Stripe enforces its limit and end date too, as a second guard behind ours;
 * the idempotency key makes a retried save find the coupon already made instead of making a second one.
 */
export async function createCoupon(stripe: Stripe, spec: CouponSpec): Promise<string> {
  const coupon = await stripe.coupons.create(
    {
      name: spec.name.slice(0, 40),
      duration: spec.duration,
      ...(spec.duration === "repeating" && spec.durationInMonths ? { duration_in_months: spec.durationInMonths } : {}),
      ...(spec.percentOff !== null
        ? { percent_off: spec.percentOff }
        : { amount_off: spec.amountOff ?? 0, currency: spec.currency.toLowerCase() }),
      ...(spec.maxRedemptions !== null ? { max_redemptions: spec.maxRedemptions } : {}),
      ...(spec.expiresAt ? { redeem_by: Math.floor(spec.expiresAt.getTime() / 1000) } : {}),
      metadata: { offer_id: spec.offerId },
    },
    { idempotencyKey: `broadsheet-coupon-${spec.offerId}` },
  );
  return coupon.id;
}

/** A coupon's name is the one thing Stripe lets change. */
export async function renameCoupon(stripe: Stripe, couponId: string, name: string): Promise<void> {
  await stripe.coupons.update(couponId, { name: name.slice(0, 40) });
}

/** No new discounts from it; subscriptions that already have it keep it (Stripe's rule for deleted coupons). */
export async function deleteCoupon(stripe: Stripe, couponId: string): Promise<void> {
  await stripe.coupons.del(couponId);
}
