import { useEffect, useState } from "preact/hooks";
import { api, type Reply } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, failureNotice, formatTime, type Notice, NoticeBar, useLoad } from "../parts.js";
import type { ArticleDetail } from "../types.js";

type Send = Reply<"GET", "/newsletters/sends">["sends"][number];
type ReaderClass = "free" | "subscriber";

const SEND_STATES: Record<Send["status"], string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  empty: "Nothing to send",
  cancelled: "Cancelled",
};
const readers = (n: number) => `${n} ${n === 1 ? "reader" : "readers"}`;

type Props = { article: ArticleDetail; open: boolean; onClose: () => void };

/**
 * Sends a published article as one of the newsletters: a preview as a free reader or a subscriber (in a sandboxed
 * frame), a test to oneself, then the send itself after a confirmation naming how many readers get it, and the
 * state of each send of this article.
 */
export function NewsletterSendDialog({ article, open, onClose }: Props) {
  const list = useLoad(() => api("GET", "/newsletters"), `newsletters-${open}`);
  const sends = useLoad(() => api("GET", "/newsletters/sends", { query: { articleId: article.id } }), "sends");
  const [chosen, setChosen] = useState("");
  const [preview, setPreview] = useState<{ reader: ReaderClass; html: string } | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const active = (list.data?.newsletters ?? []).filter((n) => n.status === "active");
  const newsletter = active.find((n) => n.id === chosen) ?? active[0];
  const nameOf = (id: string) => list.data?.newsletters.find((n) => n.id === id)?.name ?? "A newsletter";
  const pending = (sends.data?.sends ?? []).some((s) => s.status === "queued" || s.status === "sending");

  useEffect(() => {
    if (!open) return;
    setPreview(null);
    setNotice(null);
    sends.reload();
  }, [open]);
  // While a send is fanning out, its state is read again every two seconds.
  useEffect(() => {
    if (!open || !pending) return;
    const timer = window.setTimeout(sends.reload, 2000);
    return () => window.clearTimeout(timer);
  }, [open, pending, sends.data]);

  const work = async (run: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    try {
      await run();
    } catch (err) {
      setNotice(failureNotice(err));
    } finally {
      setBusy(false);
    }
  };
  const showPreview = (reader: ReaderClass) =>
    work(async () => {
      if (!newsletter) return;
      const shown = await api("GET", "/newsletters/{id}/preview", {
        params: { id: newsletter.id },
        query: { articleId: article.id, reader },
      });
      setPreview({ reader, html: shown.html });
    });
  const testSend = () =>
    work(async () => {
      if (!newsletter) return;
      const sent = await api("POST", "/newsletters/{id}/test-sends", {
        params: { id: newsletter.id },
        body: { articleId: article.id, reader: "subscriber" },
      });
      setNotice({ ok: true, text: `A test is on its way to ${sent.to} ("${sent.subject}").` });
    });
  const send = () =>
    work(async () => {
      if (!newsletter) return;
      const question = `Send "${article.title}" as ${newsletter.name} to ${readers(newsletter.subscribers)}? It cannot be called back.`;
      if (!window.confirm(question)) return;
      await api("POST", "/newsletters/{id}/sends", { params: { id: newsletter.id }, body: { articleId: article.id } });
      setNotice({ ok: true, text: `Sending to ${readers(newsletter.subscribers)} of ${newsletter.name}.` });
      sends.reload();
    });

  return (
    <Dialog title="Send as newsletter" open={open} onClose={onClose} closeLabel="Close" wide>
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && active.length === 0 && (
        <p class="empty">
          No active newsletters. Make one on the <a href="/admin/newsletters">Newsletters</a> screen.
        </p>
      )}
      {newsletter && (
        <>
          <label class="field" for="send-newsletter">
            <span>Newsletter</span>
            <select
              id="send-newsletter"
              value={newsletter.id}
              onChange={(e) => {
                setChosen(e.currentTarget.value);
                setPreview(null);
              }}
            >
              {active.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name} ({readers(n.subscribers)})
                </option>
              ))}
            </select>
          </label>
          <p class="hint hint-top">
            {readers(newsletter.subscribers)} will get it.{" "}
            {newsletter.visibility === "paid"
              ? "Subscribers only."
              : "Readers without a subscription get the free part and the call to subscribe."}
          </p>
          <div class="workflow">
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => showPreview("free")}>
              Preview as free reader
            </button>
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => showPreview("subscriber")}>
              Preview as subscriber
            </button>
            <button type="button" class="button" disabled={busy} onClick={testSend}>
              Send a test to me
            </button>
            <button type="button" class="button button-primary" disabled={busy} onClick={send}>
              Send to {readers(newsletter.subscribers)}
            </button>
          </div>
        </>
      )}
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      {preview && (
        <iframe
          class="email-preview"
          title={`The email as a ${preview.reader === "free" ? "free reader" : "subscriber"} gets it`}
          sandbox=""
          srcdoc={preview.html}
        />
      )}
      {sends.data && sends.data.sends.length > 0 && (
        <ul class="send-list" aria-label="Sends of this article">
          {sends.data.sends.map((s) => (
            <li key={s.id}>
              <strong>{nameOf(s.newsletterId)}</strong>: {SEND_STATES[s.status]}, {s.queued} queued
              {s.finishedAt ? `, finished ${formatTime(s.finishedAt)}` : ""}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
