import { useState } from "preact/hooks";
import { api, type Reply } from "./api.js";
import { type FormMessage, FormMessageLine, PageHeader, useLoad } from "./parts.js";
import { ProfileForm } from "./profile-form.js";
import { useStaff } from "./session.js";

type Setup = Reply<"POST", "/two-factor">;

/** One's own account: two-factor sign-in and signing out of every browser. */
export function AccountScreen() {
  const { staff, signedOut } = useStaff();
  const twoFactor = useLoad(() => api("GET", "/two-factor"), "two-factor");
  const [setup, setSetup] = useState<Setup | null>(null);
  const [code, setCode] = useState("");
  const [message, setMessage] = useState<FormMessage | null>(null);

  const attempt = async (work: () => Promise<unknown>, ok: string) => {
    setMessage(null);
    try {
      await work();
      setMessage({ tone: "ok", text: ok });
      return true;
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };

  return (
    <section class="narrow">
      <PageHeader title="Your account" />
      <FormMessageLine message={message} />
      <ProfileForm email={staff.email} role={staff.role} />
      <div class="panel">
        <h2>Two-factor sign-in</h2>
        <p>
          A code from an authenticator app on your phone, asked after your password.{" "}
          <strong>{twoFactor.data?.enabled ? "It is on." : "It is off."}</strong>
        </p>
        {!setup && twoFactor.data?.enabled === false && (
          <button
            type="button"
            class="button"
            onClick={() =>
              attempt(async () => setSetup(await api("POST", "/two-factor", { body: {} })), "Add the key to your app.")
            }
          >
            Set up two-factor sign-in
          </button>
        )}
        {setup && (
          <>
            <p>In your authenticator app, add an account with this key, then enter the code it shows.</p>
            <p class="secret">
              <code>{setup.secret}</code>
            </p>
            <p class="hint">
              <a href={setup.uri}>Open in an authenticator app on this device</a>
            </p>
          </>
        )}
        {(setup || twoFactor.data?.enabled) && (
          <form
            class="inline-fields"
            onSubmit={async (e) => {
              e.preventDefault();
              const path = setup ? "/two-factor/confirm" : "/two-factor/disable";
              const done = await attempt(
                () => api("POST", path, { body: { code } }),
                setup ? "Two-factor sign-in is on." : "Two-factor sign-in is off.",
              );
              if (done) {
                setSetup(null);
                setCode("");
                twoFactor.reload();
              }
            }}
          >
            <label class="field">
              <span>{setup ? "Code to confirm" : "Code (to turn it off)"}</span>
              <input
                name="code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                autocomplete="one-time-code"
                required
                value={code}
                onInput={(e) => setCode(e.currentTarget.value)}
              />
            </label>
            <button type="submit" class="button">
              {setup ? "Turn on" : "Turn off"}
            </button>
          </form>
        )}
      </div>
      <div class="panel">
        <h2>Sessions</h2>
        <p>Lost a laptop or signed in on a shared computer? This signs you out of every browser, this one too.</p>
        <button
          type="button"
          class="button button-danger"
          onClick={async () => {
            if (
              await attempt(() => api("POST", "/session/sign-out-everywhere", { body: {} }), "Signed out everywhere.")
            )
              signedOut();
          }}
        >
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}
