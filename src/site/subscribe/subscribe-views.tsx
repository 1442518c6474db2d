import { appliesTo, type OfferLookup, type Plan } from "../../billing/index.js";
import { formatDateTime, formatMoney } from "../views/format.js";
import type { SiteFrame } from "../views/frame.js";
import { Layout } from "../views/layout.js";
import { type Deal, dealFor } from "../views/price-terms.js";

export type SubscribeOffer = {
  plan: Plan;
  currency: string;
  /** False without a Stripe key: the plans and prices still show, and say that subscriptions open soon. */
  available: boolean;
  signedIn: boolean;
  /** A newsroom session: told what to configure when subscriptions are not open. */
  isStaff: boolean;
  fromArticleId: string | undefined;
  /** The article to return to after paying: a same-site path, already checked. */
  returnPath: string | undefined;
  /** The offer the link named (or the default one), or why the named one cannot be used. */
  lookup: OfferLookup;
};

const REFUSED: Record<Exclude<OfferLookup, { kind: "valid" | "none" }>["problem"], string> = {
  unknown: "is not an offer we know",
  expired: "has ended",
  exhausted: "has been taken up in full: every place is gone",
  ended: "is no longer available",
  used: "has already been used on your account",
};

function OfferNotice(props: { lookup: OfferLookup; language: string; timeZone: string; price: (n: number) => string }) {
  const { lookup } = props;
  if (lookup.kind === "none") return null;
  if (lookup.kind === "invalid") {
    const ended = lookup.problem === "expired" && lookup.offer?.expiresAt;
    return (
      <div class="offer-notice offer-notice-invalid" role="status">
        <p>
          The offer <strong>{lookup.code.length > 40 ? `${lookup.code.slice(0, 40)}…` : lookup.code}</strong>{" "}
          {ended ? `ended on ${formatDateTime(ended, props.language, props.timeZone)}` : REFUSED[lookup.problem]}. Here
          are our usual prices.
        </p>
      </div>
    );
  }
  const { offer } = lookup;
  const only = offer.appliesTo === "both" ? "" : ` on the ${offer.appliesTo}ly plan`;
  return (
    <div class="offer-notice" role="status">
      <p class="kicker">Offer</p>
      <h2>{offer.name}</h2>
      <p>
        {offer.percentOff !== null ? `${offer.percentOff}% off` : `${props.price(offer.amountOff ?? 0)} off`}
        {only}
        {offer.expiresAt
          ? `, for readers who subscribe before ${formatDateTime(offer.expiresAt, props.language, props.timeZone)}`
          : ""}
        .
      </p>
    </div>
  );
}

const FAQ: [string, string][] = [
  ["What do I get?", "Every article we publish, on the web and in our emails: news, analysis, features and opinion."],
  [
    "Can I cancel?",
    "Yes, at any time from your account page. You keep access until the end of the period you paid for.",
  ],
  ["How do I pay?", "By card, through Stripe. We never see or store your card number."],
  ["Do I need an account?", "Yes, a free one: we send a sign-in link to your email, no password needed."],
];

export function SubscribePage(props: { frame: SiteFrame; offer: SubscribeOffer }) {
  const { frame, offer } = props;
  const { settings } = frame;
  const { plan } = offer;
  const price = (amount: number) => formatMoney(amount, offer.currency, settings.language);
  const offerNow = offer.lookup.kind === "valid" ? offer.lookup.offer : undefined;
  const deal = (interval: "month" | "year", amount: number) =>
    offerNow && appliesTo(offerNow, interval) ? dealFor(offerNow, amount, interval, price) : undefined;
  const yearlySaving =
    plan.yearlyAmount && plan.yearlyAmount < plan.monthlyAmount * 12
      ? Math.round((1 - plan.yearlyAmount / (plan.monthlyAmount * 12)) * 100)
      : 0;
  return (
    <Layout
      frame={frame}
      meta={{
        title: `Subscribe to ${settings.title}`,
        description: `${plan.name}: ${plan.includes} From ${price(plan.monthlyAmount)} a month.`,
        path: "/subscribe",
      }}
    >
      <section class="subscribe wrap" aria-labelledby="subscribe-heading">
        <header class="subscribe-header">
          <p class="kicker">Subscribe</p>
          <h1 id="subscribe-heading">Journalism worth paying for</h1>
          <p class="subscribe-lede">
            {settings.title} is paid for by its readers. {plan.includes}
          </p>
        </header>
        {offer.available && (
          <OfferNotice lookup={offer.lookup} language={settings.language} timeZone={settings.timeZone} price={price} />
        )}
        {!offer.available && <OpeningSoon signedIn={offer.signedIn} isStaff={offer.isStaff} />}
        <div class="plans">
          <PlanCard
            name={`${plan.name}, monthly`}
            price={price(plan.monthlyAmount)}
            per="a month"
            interval="month"
            trialDays={plan.trialDays}
            isOpen={offer.available}
            signedIn={offer.signedIn}
            fromArticleId={offer.fromArticleId}
            returnPath={offer.returnPath}
            featured={!plan.yearlyAmount}
            deal={deal("month", plan.monthlyAmount)}
          />
          {plan.yearlyAmount && (
            <PlanCard
              name={`${plan.name}, yearly`}
              price={price(plan.yearlyAmount)}
              per="a year"
              interval="year"
              note={yearlySaving > 0 ? `Save ${yearlySaving}% on paying monthly` : undefined}
              trialDays={plan.trialDays}
              isOpen={offer.available}
              signedIn={offer.signedIn}
              fromArticleId={offer.fromArticleId}
              returnPath={offer.returnPath}
              featured
              deal={deal("year", plan.yearlyAmount)}
            />
          )}
        </div>
        <section class="subscribe-faq" aria-labelledby="faq-heading">
          <h2 id="faq-heading">Questions</h2>
          <dl>
            {FAQ.map(([q, a]) => (
              <div>
                <dt>{q}</dt>
                <dd>{a}</dd>
              </div>
            ))}
          </dl>
        </section>
      </section>
    </Layout>
  );
}

/** Before the paper takes payments: readers learn what they can do now; staff learn what to configure. */
function OpeningSoon(props: { signedIn: boolean; isStaff: boolean }) {
  return (
    <div class="subscribe-unavailable" role="status">
      <h2>Subscriptions open soon</h2>
      <p>
        These are the plans and prices. Until payments open, a free account reads every article for registered readers.
      </p>
      {props.isStaff && (
        <p class="subscribe-staff-note">
          For staff: readers cannot pay until <code>STRIPE_SECRET_KEY</code> and <code>STRIPE_WEBHOOK_SECRET</code> are
          set (see the README's Subscriptions section). Plans and prices are set in the newsroom.
        </p>
      )}
      {!props.signedIn && (
        <p>
          <a class="paywall-button" href="/signin?next=%2Fsubscribe">
            Create a free account
          </a>
        </p>
      )}
    </div>
  );
}

function PlanCard(props: {
  name: string;
  price: string;
  per: string;
  interval: "month" | "year";
  note?: string | undefined;
  trialDays: number;
  isOpen: boolean;
  signedIn: boolean;
  fromArticleId: string | undefined;
  returnPath: string | undefined;
  featured: boolean;
  deal?: Deal | undefined;
}) {
  const { deal } = props;
  return (
    <form class={props.featured ? "plan plan-featured" : "plan"} method="post" action="/subscribe/checkout">
      <h2>{props.name}</h2>
      {props.featured && props.interval === "year" && <p class="plan-note">Best value</p>}
      {deal ? (
        <>
          <p class="plan-price">
            <strong>{deal.price}</strong> <span class="visually-hidden">instead of</span> <s>{deal.was}</s> {props.per}
          </p>
          <p class="plan-offer">{deal.terms}</p>
        </>
      ) : (
        <p class="plan-price">
          <strong>{props.price}</strong> {props.per}
        </p>
      )}
      {props.note && <p class="plan-note">{props.note}</p>}
      <ul class="plan-includes">
        <li>Every article, on every device</li>
        <li>All news, analysis, features and opinion</li>
        <li>Cancel at any time</li>
        {props.trialDays > 0 && <li>First {props.trialDays} days free</li>}
      </ul>
      <input type="hidden" name="interval" value={props.interval} />
      {props.fromArticleId && <input type="hidden" name="from" value={props.fromArticleId} />}
      {props.returnPath && <input type="hidden" name="next" value={props.returnPath} />}
      {deal && <input type="hidden" name="offer" value={deal.code} />}
      {props.isOpen ? (
        <button type="submit" class="paywall-button">
          {props.signedIn ? "Subscribe" : "Continue"}
        </button>
      ) : (
        <p class="plan-soon">Opens soon: no payment is taken yet.</p>
      )}
    </form>
  );
}

/** Where the success page sends the reader: the page they paid from, with its headline when it is an article. */
export type ReturnLink = { path: string; headline: string | undefined };

export function CheckoutResultPage(props: {
  frame: SiteFrame;
  result: "active" | "pending" | "cancelled";
  back?: ReturnLink | undefined;
}) {
  const { frame, result, back } = props;
  const heading =
    result === "active"
      ? "Welcome, subscriber"
      : result === "pending"
        ? "Your payment is being confirmed"
        : "No payment was taken";
  const text =
    result === "active"
      ? `Thank you for subscribing to ${frame.settings.title}. Every article is now open to you.`
      : result === "pending"
        ? "Stripe has not confirmed your payment yet. This page will show your subscription as soon as it does."
        : "You left the checkout before paying. You can subscribe whenever you like.";
  return (
    <Layout frame={frame} meta={{ title: heading, description: text, path: "/subscribe", noindex: true }}>
      <section class="subscribe wrap-narrow" aria-labelledby="result-heading">
        <h1 id="result-heading">{heading}</h1>
        <p class="subscribe-lede">{text}</p>
        <p class="paywall-actions">
          {result === "active" ? (
            <a class="paywall-button" href={back?.path ?? "/"}>
              {back ? (back.headline ? `Continue reading: ${back.headline}` : "Continue reading") : "Start reading"}
            </a>
          ) : result === "pending" ? (
            <a class="paywall-button" href="/account">
              See your account
            </a>
          ) : (
            <a class="paywall-button" href="/subscribe">
              See the plans
            </a>
          )}
          {result !== "pending" && <a href="/account">Your account</a>}
        </p>
      </section>
    </Layout>
  );
}
