import { useState } from "preact/hooks";
import { api } from "./api.js";
import { ErrorNote, failureNotice, formatTime, type Notice, NoticeBar, PageHeader, useLoad } from "./parts.js";

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
      <FailedJobs />
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

/** What kinds of background work are called in the newsroom: an admin reads these, not the queue's names. */
const JOB_KINDS: Record<string, string> = {
  "mail.send": "Email",
  "cdn:purge": "CDN purge",
  "feeds.ping-hub": "Feed hub ping",
};

/**
 * Background work that gave up after its retries (a purge the CDN kept refusing, a message the mail server turned
 * away), with its last error; each can be tried again once the cause is fixed. Shown only when there is some.
 */
function FailedJobs() {
  const failed = useLoad(() => api("GET", "/jobs", { query: { status: "failed", limit: 50 } }), "failed-jobs");
  const [notice, setNotice] = useState<Notice | null>(null);
  const retry = async (id: string, kind: string) => {
    try {
      await api("POST", "/jobs/{id}/retry", { params: { id }, body: {} });
      setNotice({ ok: true, text: `${JOB_KINDS[kind] ?? kind}: queued again.` });
      failed.reload();
    } catch (err) {
      setNotice(failureNotice(err));
    }
  };
  if (failed.error) return <ErrorNote>{failed.error}</ErrorNote>;
  if (!failed.data || (failed.data.jobs.length === 0 && !notice)) return null;
  return (
    <div class="panel failed-jobs">
      <h2>Background work that failed</h2>
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      {failed.data.jobs.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Last error</th>
              <th scope="col">Gave up</th>
              <th scope="col">
                <span class="sr-only">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {failed.data.jobs.map((job) => (
              <tr key={job.id}>
                <td>
                  {JOB_KINDS[job.kind] ?? job.kind}
                  <span class="row-meta">after {job.attempts} attempts</span>
                </td>
                <td>{job.lastError ?? ""}</td>
                <td>{job.finishedAt ? formatTime(job.finishedAt) : ""}</td>
                <td>
                  <button type="button" class="button" onClick={() => retry(job.id, job.kind)}>
                    Try again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
