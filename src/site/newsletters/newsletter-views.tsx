/** A newsletter's public page, the pages its sign-up leads to, and the checkboxes /account shows. */
import type { ManagedChoices, Newsletter, NewsletterChoice } from "../../newsletters/index.js";
import { type FormMessage, Message } from "../account/sign-in-views.js";
import type { SiteFrame } from "../views/frame.js";
import { Layout } from "../views/layout.js";

const CADENCE_WORDS: Record<Newsletter["cadence"], string> = {
  "per-article": "Sent when we publish a story for it.",
  daily: "Every morning.",
  weekly: "Once a week.",
  manual: "From time to time.",
};

function cadenceOf(newsletter: Newsletter): string {
  const hour = newsletter.sendHour === null ? "" : ` at ${String(newsletter.sendHour).padStart(2, "0")}:00`;
  if (newsletter.cadence === "daily") return `Every day${hour}.`;
  return CADENCE_WORDS[newsletter.cadence];
}

/** The same for every reader (it is cached and shared): nothing here names who is reading. */
export function NewsletterPage(props: {
  frame: SiteFrame;
  newsletter: Newsletter;
  canSignUp: boolean;
  email?: string;
  message?: FormMessage | undefined;
}) {
  const { frame, newsletter } = props;
  const path = `/newsletters/${newsletter.slug}`;
  return (
    <Layout frame={frame} meta={{ title: newsletter.name, description: newsletter.description, path }}>
      <section class="account-form wrap-narrow" aria-labelledby="newsletter-heading">
        <p class="kicker">Newsletter</p>
        <h1 id="newsletter-heading">{newsletter.name}</h1>
        {newsletter.description && <p class="account-lede">{newsletter.description}</p>}
        <p class="account-small">{cadenceOf(newsletter)}</p>
        <Message message={props.message} />
        {props.canSignUp ? (
          <form class="form" method="post" action={path}>
            <label>
              Email address
              <input type="email" name="email" required maxLength={254} autoComplete="email" value={props.email} />
            </label>
            <button type="submit">Sign me up</button>
          </form>
        ) : (
          <p>
            For subscribers. <a href="/subscribe">Subscribe</a>, then choose it on <a href="/account">your account</a>.
          </p>
        )}
        {props.canSignUp && (
          <p class="account-small">
            We email you a link to confirm; nothing is sent until you use it. Every issue has a one-click unsubscribe.
          </p>
        )}
      </section>
    </Layout>
  );
}

export function NewsletterNoticePage(props: { frame: SiteFrame; title: string; lede: string; path: string }) {
  return (
    <Layout frame={props.frame} meta={{ title: props.title, description: props.lede, path: props.path, noindex: true }}>
      <section class="account-form wrap-narrow" aria-labelledby="notice-heading">
        <p class="kicker">Newsletters</p>
        <h1 id="notice-heading">{props.title}</h1>
        <p class="account-lede">{props.lede}</p>
      </section>
    </Layout>
  );
}

/** Checkboxes for every active newsletter; a paid one a reader may not choose is shown, switched off. */
export function NewsletterChoices(props: { choices: NewsletterChoice[]; action: string; token?: string }) {
  if (props.choices.length === 0) return null;
  return (
    <form class="form" method="post" action={props.action}>
      {props.token && <input type="hidden" name="token" value={props.token} />}
      <input type="hidden" name="save" value="newsletters" />
      <fieldset>
        <legend>Newsletters</legend>
        {props.choices.map(({ newsletter, isSubscribed, isAvailable }) => (
          <label>
            <input
              type="checkbox"
              name="newsletter"
              value={newsletter.id}
              checked={isSubscribed}
              disabled={!isAvailable}
            />{" "}
            {newsletter.name}
            {!isAvailable && " (for subscribers)"}
            {newsletter.description && <span class="account-small"> {newsletter.description}</span>}
          </label>
        ))}
      </fieldset>
      <button type="submit">Save newsletters</button>
    </form>
  );
}

/** The page an issue's unsubscribe link opens (signed: no sign-in); personal, never cached. */
export function PreferencesPage(props: {
  frame: SiteFrame;
  managed: ManagedChoices;
  token: string;
  message?: FormMessage | undefined;
}) {
  const { managed, token } = props;
  const action = `/newsletters/unsubscribe?token=${token}`;
  const receives = managed.choices.some((c) => c.newsletter.id === managed.newsletter.id && c.isSubscribed);
  return (
    <Layout
      frame={props.frame}
      meta={{
        title: "Your newsletters",
        description: "Choose the newsletters you receive.",
        path: "/newsletters/unsubscribe",
        noindex: true,
      }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="preferences-heading">
        <p class="kicker">Newsletters</p>
        <h1 id="preferences-heading">Your newsletters</h1>
        <p class="account-lede">
          For <strong>{managed.member.email}</strong>.
        </p>
        <Message message={props.message} />
        {receives && (
          <form class="form" method="post" action={action}>
            <button type="submit">Unsubscribe from {managed.newsletter.name}</button>
          </form>
        )}
        <NewsletterChoices choices={managed.choices} action="/newsletters/preferences" token={token} />
      </section>
    </Layout>
  );
}
