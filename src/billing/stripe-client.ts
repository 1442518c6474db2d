/** The only file that imports the Stripe SDK: the client, pointed at STRIPE_API_URL. */
import Stripe from "stripe";

export type StripeClient = Stripe;
export type StripeSubscription = Stripe.Subscription;
export type StripeEvent = Stripe.Event;

export type StripeSettings = { secretKey: string; webhookSecret: string | undefined; apiUrl: string };

export function createStripeClient(settings: StripeSettings): Stripe {
  const url = new URL(settings.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return new Stripe(settings.secretKey, {
    host: url.hostname,
    port: url.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Broadsheet" },
  });
}

/** The event in a webhook delivery, if its signature over the raw body is Stripe's; throws otherwise. */
export function verifyWebhook(stripe: Stripe, rawBody: Buffer, signature: string, secret: string): Stripe.Event {
  return stripe.webhooks.constructEvent(rawBody, signature, secret);
}
