import type { ComponentChildren } from "preact";
import type { SubscriptionSummary } from "../../billing/index.js";
import { type Member, RECENT_SIGN_IN_MINUTES } from "../../members/index.js";
import type { NewsletterChoice } from "../../newsletters/index.js";
import { NewsletterChoices } from "../newsletters/newsletter-views.js";
import { formatLongDate } from "../views/format.js";
import type { SiteFrame } from "../views/frame.js";
import { Layout } from "../views/layout.js";
import { type FormMessage, Message } from "./sign-in-views.js";

export const ACCOUNT_NOTICES = {
  "name-saved": "Your name is saved.",
  "email-link-sent":
    "We sent a link to your new address. Open it in this browser: your email changes when you confirm it there.",
  "email-changed": "Your email address is changed. We told your old address, with a link to undo the change.",
  "newsletters-saved": "Your newsletters are saved.",
} as const;
export type AccountNotice = keyof typeof ACCOUNT_NOTICES;

export function AccountPage(props: {
  frame: SiteFrame;
  member: Member;
  subscription: SubscriptionSummary | undefined;
  canSubscribe: boolean;
  newsletters: NewsletterChoice[];
  message: FormMessage | undefined;
  /** After a refusal for want of a recent sign-in: the way to one, a link to the current address. */
  askSignIn?: boolean;
}) {
  const { frame, member } = props;
  const { settings } = frame;
  return (
    <Layout
      frame={frame}
      meta={{ title: "Your account", description: `Your ${settings.title} account.`, path: "/account", noindex: true }}
    >
      <section class="account wrap-narrow" aria-labelledby="account-heading">
        <p class="kicker">Your account</p>
        <h1 id="account-heading">{member.name || "Your account"}</h1>
        <p class="account-lede">
          Signed in as <strong>{member.email}</strong>. Reader since{" "}
          {formatLongDate(member.createdAt, settings.language, settings.timeZone)}.
        </p>
        <Message message={props.message} />
        {props.askSignIn && (
          <form class="form" method="post" action="/signin">
            <input type="hidden" name="email" value={member.email} />
            <input type="hidden" name="next" value="/account" />
            <button type="submit">Email me a sign-in link</button>
          </form>
        )}

        <Membership frame={frame} subscription={props.subscription} canSubscribe={props.canSubscribe} />

        <AccountDetails member={member} />

        {props.newsletters.length > 0 && <AccountNewsletters choices={props.newsletters} />}

        <SigningOut />

        <AccountData />
      </section>
    </Layout>
  );
}

export function DeleteAccountPage(props: { frame: SiteFrame; member: Member }) {
  const { frame, member } = props;
  return (
    <Layout
      frame={frame}
      meta={{
        title: "Delete your account",
        description: "Delete your account.",
        path: "/account/delete",
        noindex: true,
      }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="delete-heading">
        <p class="kicker">Your account</p>
        <h1 id="delete-heading">Delete your account?</h1>
        <p class="account-lede">
          This deletes the account for <strong>{member.email}</strong> and everything we keep about it. It cannot be
          undone, though you can create a new account with the same address later.
        </p>
        <form class="form" method="post" action="/account/delete">
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="button-danger">
            Delete my account
          </button>
        </form>
        <p class="account-small">
          <a href="/account">Keep my account</a>
        </p>
      </section>
    </Layout>
  );
}

export function AccountDeletedPage(props: { frame: SiteFrame }) {
  const title = props.frame.settings.title;
  return (
    <Layout
      frame={props.frame}
      meta={{ title: "Account deleted", description: "Your account is deleted.", path: "/account", noindex: true }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="deleted-heading">
        <h1 id="deleted-heading">Your account is deleted</h1>
        <p class="account-lede">
          Everything {title} kept about you is gone. Thank you for reading; you are welcome back any time.
        </p>
        <p>
          <a href="/">Go to the front page</a>
        </p>
      </section>
    </Layout>
  );
}

/** The member's name and address, each with its form; a new address waits for its link. */
function AccountDetails(props: { member: Member }) {
  return (
    <section class="account-section" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Your details</h2>
      <form class="form" method="post" action="/account/name">
        <label>
          Name
          <input type="text" name="name" maxLength={120} autoComplete="name" value={props.member.name} />
        </label>
        <button type="submit">Save name</button>
      </form>
      <form class="form" method="post" action="/account/email">
        <label>
          Email address
          <input type="email" name="email" required maxLength={254} autoComplete="email" value={props.member.email} />
        </label>
        <button type="submit" class="button-quiet">
          Change email
        </button>
      </form>
      <p class="account-small">
        A new address is used once you confirm it from the link we send there, in this browser. Changing it needs a
        sign-in from the last {RECENT_SIGN_IN_MINUTES} minutes; your old address is told, with a way to undo it.
      </p>
    </section>
  );
}

/** The newsletters the member may choose, ticked as they stand. */
function AccountNewsletters(props: { choices: NewsletterChoice[] }) {
  return (
    <section class="account-section" aria-labelledby="newsletters-heading">
      <h2 id="newsletters-heading">Newsletters</h2>
      <NewsletterChoices choices={props.choices} action="/account/newsletters" />
    </section>
  );
}

/** Signing out of this browser, or of every one. */
function SigningOut() {
  return (
    <section class="account-section" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Signing out</h2>
      <div class="account-actions">
        <form method="post" action="/signout">
          <button type="submit" class="button-quiet">
            Sign out
          </button>
        </form>
        <form method="post" action="/signout/everywhere">
          <button type="submit" class="button-quiet">
            Sign out everywhere
          </button>
        </form>
      </div>
      <p class="account-small">
        “Sign out” ends this browser's session; “everywhere” ends every browser's and device's. A copy of a signed-out
        session's cookie no longer opens anything.
      </p>
    </section>
  );
}

/** A copy of the member's data, and the way to delete the account. */
function AccountData() {
  return (
    <section class="account-section" aria-labelledby="data-heading">
      <h2 id="data-heading">Your data</h2>
      <p>
        <a href="/account/export" download>
          Download my data
        </a>{" "}
        (a JSON file with everything we keep about you).
      </p>
      <p>
        <a class="account-danger-link" href="/account/delete">
          Delete my account
        </a>
      </p>
    </section>
  );
}

/** The member's subscription as they need to know it: what they have, until when, and what they can do. */
function Membership(props: { frame: SiteFrame; subscription: SubscriptionSummary | undefined; canSubscribe: boolean }) {
  const { settings } = props.frame;
  const sub = props.subscription;
  const day = (d: Date | null | undefined) => (d ? formatLongDate(d, settings.language, settings.timeZone) : "");
  const manage = sub?.hasBillingAccount && props.canSubscribe && (
    <div class="account-actions">
      <form method="post" action="/account/billing">
        <button type="submit" class="button-quiet">
          Manage billing
        </button>
      </form>
    </div>
  );
  const subscribe = props.canSubscribe && (
    <p>
      <a class="paywall-button" href="/subscribe">
        Subscribe
      </a>
    </p>
  );
  let badge = "Free account";
  let text = `You can read every article ${settings.title} publishes for registered readers.`;
  let action: ComponentChildren = subscribe;
  if (sub?.status === "active" || sub?.status === "trialing") {
    badge = sub.status === "trialing" ? "Subscriber, free trial" : "Subscriber";
    const period = sub.interval === "year" ? "yearly" : "monthly";
    text = sub.cancelAtPeriodEnd
      ? `Your ${period} subscription ends on ${day(sub.currentPeriodEnd)}; you keep full access until then.`
      : `Your ${period} subscription renews on ${day(sub.currentPeriodEnd)}. Every article is open to you.`;
    action = manage;
  } else if (sub?.status === "past_due") {
    badge = "Payment failed";
    text =
      "Your last payment did not go through. Update your card to keep your subscription; access continues for a few days meanwhile.";
    action = manage;
  } else if (sub?.complimentaryUntil !== undefined) {
    badge = "Complimentary";
    text = sub.complimentaryUntil
      ? `${settings.title} has given you full access until ${day(sub.complimentaryUntil)}.`
      : `${settings.title} has given you full access.`;
    action = undefined;
  } else if (sub?.status === "canceled") {
    badge = "Subscription ended";
    text = `Your subscription ended${sub.currentPeriodEnd ? ` on ${day(sub.currentPeriodEnd)}` : ""}. Your free account stays open.`;
  }
  return (
    <section class="account-section" aria-labelledby="membership-heading">
      <h2 id="membership-heading">Membership</h2>
      <p>
        <span class="account-badge">{badge}</span> {text}
      </p>
      {action}
    </section>
  );
}

/** A link from an email that cannot be used here: expired, used, for another browser, or its address taken. */
export function LinkRefusedPage(props: { frame: SiteFrame; message: FormMessage }) {
  return (
    <Layout
      frame={props.frame}
      meta={{ title: "This link cannot be used", description: props.message.text, path: "/account", noindex: true }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="refused-heading">
        <p class="kicker">Your account</p>
        <h1 id="refused-heading">This link cannot be used</h1>
        <Message message={props.message} />
        <p>
          <a href="/account">Go to your account</a>
        </p>
      </section>
    </Layout>
  );
}

export function EmailRestoredPage(props: { frame: SiteFrame; email: string }) {
  return (
    <Layout
      frame={props.frame}
      meta={{
        title: "Email address restored",
        description: "Your email address is restored.",
        path: "/account",
        noindex: true,
      }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="restored-heading">
        <p class="kicker">Your account</p>
        <h1 id="restored-heading">Your email address is restored</h1>
        <p class="account-lede">
          Your account uses <strong>{props.email}</strong> again. Every browser that was signed in to it is now signed
          out, and changes of address still waiting for confirmation are cancelled.
        </p>
        <p>
          <a href="/signin?next=%2Faccount">Sign in again</a> with a link sent to {props.email}.
        </p>
      </section>
    </Layout>
  );
}
