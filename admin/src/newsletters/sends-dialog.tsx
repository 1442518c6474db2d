import { useEffect } from "preact/hooks";
import { api, type Reply } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, formatTime, NoticeBar, useListChange, useLoad } from "../parts.js";
import type { Newsletter } from "../types.js";

type SendReport = Reply<"GET", "/newsletters/{id}/sends">["sends"][number];

/** The report's counts, in the table's order: the field, its column's heading, and a title where it helps. */
type CountField = Extract<
  keyof SendReport,
  "queued" | "delivered" | "waiting" | "failed" | "suppressed" | "unsubscribedAfter"
>;
const COUNTS: readonly [CountField, string, string?][] = [
  ["queued", "Queued"],
  ["delivered", "Delivered"],
  ["waiting", "Waiting"],
  ["failed", "Failed"],
  ["suppressed", "Skipped", "Suppressed addresses"],
  ["unsubscribedAfter", "Left after"],
];

const STATES: Record<SendReport["status"], string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  empty: "Nothing to send",
  cancelled: "Cancelled",
};

/** What went out: the article's headline, or the digest's day and how many articles it carried. */
function whatText(s: SendReport): string {
  if (s.kind === "article") return s.headlines[0] ?? "An article since deleted";
  const n = s.headlines.length;
  return `Digest of ${s.period}: ${n === 1 ? "1 article" : `${n} articles`}`;
}

type Props = { newsletter: Newsletter | null; onClose: () => void };

/**
 * A newsletter's sends, newest first, with what became of their messages; one with messages still waiting can be
 * cancelled. Refreshed every few seconds while one is under way.
 */
export function SendsDialog({ newsletter, onClose }: Props) {
  const id = newsletter?.id ?? "";
  const sends = useLoad(
    () => (id ? api("GET", "/newsletters/{id}/sends", { params: { id } }) : Promise.resolve({ sends: [] })),
    `sends-${id}`,
  );
  const { notice, setNotice, busy, change } = useListChange(sends.reload);
  const isUnderWay = (sends.data?.sends ?? []).some(
    (s) => s.waiting > 0 || s.status === "queued" || s.status === "sending",
  );
  useEffect(() => {
    if (!id || !isUnderWay) return;
    const timer = window.setTimeout(sends.reload, 3000);
    return () => window.clearTimeout(timer);
  }, [id, isUnderWay, sends.data]);
  const cancel = (s: SendReport) => {
    if (!window.confirm(`Cancel this send? Messages not yet sent (${s.waiting}) are taken back.`)) return;
    change(
      () => api("POST", "/newsletters/{id}/sends/{sendId}/cancel", { params: { id, sendId: s.id }, body: {} }),
      "The send is cancelled: messages not yet sent were taken back.",
    );
  };
  return (
    <Dialog
      title={newsletter ? `Sends of ${newsletter.name}` : "Sends"}
      open={newsletter !== null}
      onClose={() => {
        setNotice(null);
        onClose();
      }}
      closeLabel="Close"
      wide
    >
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      {sends.error && <ErrorNote>{sends.error}</ErrorNote>}
      {sends.data && sends.data.sends.length === 0 && <p class="empty">Nothing has been sent yet.</p>}
      {sends.data && sends.data.sends.length > 0 && (
        <table class="table send-report-table" aria-busy={sends.loading || busy}>
          <caption class="sr-only">Sends, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Send</th>
              <th scope="col">State</th>
              {COUNTS.map(([key, label]) => (
                <th key={key} scope="col" class="numeric">
                  {label}
                </th>
              ))}
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sends.data.sends.map((s) => (
              <tr key={s.id}>
                <td>
                  <span class="cell-title">{whatText(s)}</span>
                  <span class="cell-meta">{formatTime(s.createdAt)}</span>
                </td>
                <td>
                  <span class={`badge badge-send-${s.status}`}>{STATES[s.status]}</span>
                  {s.withdrawn > 0 && <span class="cell-meta">{s.withdrawn} taken back</span>}
                </td>
                {COUNTS.map(([key, , title]) => (
                  <td key={key} class="numeric" title={title}>
                    {s[key]}
                  </td>
                ))}
                <td class="row-action">
                  {s.isCancellable && (
                    <button
                      type="button"
                      class="button button-small button-danger"
                      disabled={busy}
                      aria-label={`Cancel the send of ${formatTime(s.createdAt)}`}
                      onClick={() => cancel(s)}
                    >
                      Cancel send
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="hint">
        Delivered: accepted by the mail server. Skipped: the address is on the suppression list. Left after: readers who
        left this newsletter after this send and before the next.
      </p>
    </Dialog>
  );
}
