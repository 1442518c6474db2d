import { useState } from "preact/hooks";
import { ApiError, api } from "./api.js";
import type { Staff } from "./types.js";

type Props = { expired: boolean; onSignedIn: (staff: Staff) => void };

export function SignIn({ expired, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [resetSent, setResetSent] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = needsCode ? { email, password, code } : { email, password };
      const { staff } = await api("POST", "/session", { body });
      onSignedIn(staff);
    } catch (err) {
      if (err instanceof ApiError && err.code === "TWO_FACTOR_REQUIRED") setNeedsCode(true);
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const requestReset = async () => {
    if (!email) {
      setError("Enter your email address first, then ask for a reset link.");
      return;
    }
    try {
      const { message } = await api("POST", "/password-reset", { body: { email } });
      setResetSent(message);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <main class="sign-in">
      <form class="sign-in-card" onSubmit={submit}>
        <p class="sign-in-brand">Newsroom</p>
        <h1>{expired ? "Your session has ended" : "Sign in"}</h1>
        {expired && <p class="muted">Sign in again to carry on; your unsaved work is still on the page.</p>}
        {error && (
          <p class="alert alert-error" role="alert">
            {error}
          </p>
        )}
        {resetSent && (
          <p class="alert alert-ok" role="status">
            {resetSent}
          </p>
        )}
        <label class="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {needsCode && (
          <label class="field">
            <span>Code from your authenticator app</span>
            <input
              name="code"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              required
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </label>
        )}
        <button class="button button-primary button-wide" type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <button class="link-button" type="button" onClick={requestReset}>
          Forgot your password?
        </button>
      </form>
    </main>
  );
}
