/** What billing needs from the app: the database, Stripe (when configured), mail, and the cache's channel. */
import type { Db } from "../db/index.js";
import type { Brand, Mailer } from "../email/index.js";
import type { Clock } from "../shared/clock.js";
import { Unavailable } from "../shared/errors.js";
import type { StripeClient, StripeConnection } from "./stripe-client.js";

export type BillingDeps = {
  db: Db;
  clock: Clock;
  /** Undefined when Stripe is not configured: only complimentary access works. */
  stripe: StripeConnection | undefined;
  webhookSecret: string | undefined;
  publicUrl: string;
  currency: () => Promise<string>;
  brand: () => Promise<Brand>;
  mailer: Mailer;
  /** Tells every process a member's entitlement changed (the page cache's invalidation channel). */
  invalidate: (tags: readonly string[]) => Promise<void>;
  log: { error(obj: object, msg: string): void };
  /** A subscription began that a paywall sent the reader to: credits that article. */
  subscriptionStartedFrom: (articleId: string) => void;
};

export type Interval = "month" | "year";

export async function requireStripe(deps: BillingDeps): Promise<StripeClient> {
  if (!deps.stripe) {
    throw new Unavailable("SUBSCRIPTIONS_UNAVAILABLE", "Subscriptions are not available yet.", {
      help: "The paper has not connected its payment provider.",
    });
  }
  return deps.stripe.client();
}
