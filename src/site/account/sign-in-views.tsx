import type { SiteFrame } from "../views/frame.js";
import { Layout } from "../views/layout.js";

export type FormMessage = { kind: "error" | "notice"; text: string; help?: string | undefined };

export function SignInPage(props: {
  frame: SiteFrame;
  next: string | undefined;
  email?: string;
  message?: FormMessage | undefined;
}) {
  const { frame } = props;
  const title = frame.settings.title;
  return (
    <Layout
      frame={frame}
      meta={{
        title: "Sign in",
        description: `Sign in to ${title}, or create a free account.`,
        path: "/signin",
        noindex: true,
      }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="signin-heading">
        <p class="kicker">Your account</p>
        <h1 id="signin-heading">Sign in or create a free account</h1>
        <p class="account-lede">
          Enter your email address and we will send you a link that signs you in. No password needed. If you are new to{" "}
          {title}, the same link creates your free account.
        </p>
        <Message message={props.message} />
        <form class="form" method="post" action="/signin">
          {props.next && <input type="hidden" name="next" value={props.next} />}
          <label>
            Email address
            <input type="email" name="email" required maxLength={254} autoComplete="email" value={props.email} />
          </label>
          <button type="submit">Email me a link</button>
        </form>
        <p class="account-small">
          A free account lets you read the articles we publish for registered readers. We use your address only to sign
          you in and for the emails you choose.
        </p>
      </section>
    </Layout>
  );
}

export function CheckEmailPage(props: { frame: SiteFrame; email: string; validMinutes: number }) {
  return (
    <Layout
      frame={props.frame}
      meta={{ title: "Check your email", description: "A sign-in link is on its way.", path: "/signin", noindex: true }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="check-heading">
        <p class="kicker">Your account</p>
        <h1 id="check-heading">Check your email</h1>
        <p class="account-lede">
          We sent a link to <strong>{props.email}</strong>. Open it on this device to sign in; it works once, for{" "}
          {props.validMinutes} minutes.
        </p>
        <p class="account-small">
          Nothing after a few minutes? Look in your spam folder, or <a href="/signin">ask for another link</a>.
        </p>
      </section>
    </Layout>
  );
}

/** The page an emailed link opens: one button that POSTs the token, so a mail scanner's GET cannot use it up. */
export function ConfirmLinkPage(props: {
  frame: SiteFrame;
  title: string;
  lede: string;
  action: string;
  button: string;
  token: string;
}) {
  return (
    <Layout
      frame={props.frame}
      meta={{ title: props.title, description: props.lede, path: props.action, noindex: true }}
    >
      <section class="account-form wrap-narrow" aria-labelledby="confirm-heading">
        <p class="kicker">Your account</p>
        <h1 id="confirm-heading">{props.title}</h1>
        <p class="account-lede">{props.lede}</p>
        <form class="form" method="post" action={props.action}>
          <input type="hidden" name="token" value={props.token} />
          <button type="submit">{props.button}</button>
        </form>
      </section>
    </Layout>
  );
}

export function Message(props: { message: FormMessage | undefined }) {
  const { message } = props;
  if (!message) return null;
  return (
    <div class={`form-message form-message-${message.kind}`} role={message.kind === "error" ? "alert" : "status"}>
      <p>{message.text}</p>
      {message.help && <p>{message.help}</p>}
    </div>
  );
}
