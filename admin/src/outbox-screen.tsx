import { api } from "./api.js";
import { ErrorNote, formatTime, PageHeader, useLoad } from "./parts.js";

/** Without SMTP_URL, email is kept here instead of sent, so a fresh install works offline. */
export function OutboxScreen() {
  const outbox = useLoad(() => api("GET", "/outbox"), "outbox");
  return (
    <section>
      <PageHeader title="Outbox">
        <button type="button" class="button" onClick={outbox.reload}>
          Refresh
        </button>
      </PageHeader>
      {outbox.error && <ErrorNote>{outbox.error}</ErrorNote>}
      {outbox.data?.mode === "smtp" && (
        <p class="alert alert-ok">Email is sent through the SMTP server (SMTP_URL), so nothing is kept here.</p>
      )}
      {outbox.data?.mode === "outbox" && (
        <p class="hint">No SMTP server is set (SMTP_URL), so email is kept here instead of sent. Newest first.</p>
      )}
      {outbox.data?.messages.map((m) => (
        <details key={m.id} class="panel outbox-message">
          <summary>
            <strong>{m.subject}</strong>
            <span class="row-meta">
              to {m.to} · {formatTime(m.createdAt)}
            </span>
          </summary>
          <pre>{m.text}</pre>
        </details>
      ))}
    </section>
  );
}
