import { useState } from "preact/hooks";
import { api, type Reply } from "../api.js";
import { Dialog } from "../dialog.js";
import { type ArticleDetail, atLeast, type Staff, type Status } from "../types.js";
import { NewsletterSendDialog } from "./newsletter-send-dialog.js";

type Props = {
  detail: ArticleDetail | null;
  me: Staff;
  dirty: boolean;
  /** Saves what is on the screen first; null when it could not. */
  save: () => Promise<ArticleDetail | null>;
  onDone: (message: string, version: number, status: Status) => void;
  onError: (message: string) => void;
};

type StepPath = "/articles/{id}/submit" | "/articles/{id}/publish" | "/articles/{id}/unpublish";
type Step = Reply<"POST", StepPath>;

/** Save, submit, publish, schedule and unpublish: what the signed-in role may do with this article. */
export function WorkflowBar({ detail, me, dirty, save, onDone, onError }: Props) {
  const [scheduling, setScheduling] = useState(false);
  const [sending, setSending] = useState(false);
  const [when, setWhen] = useState(defaultScheduleTime());
  const [busy, setBusy] = useState(false);
  const status = detail?.status ?? "draft";
  const mine = !detail || detail.authors.some((a) => a.id === me.id);
  const mayPublish = atLeast(me, "editor") || (atLeast(me, "author") && mine);
  const live = status === "published" || status === "scheduled";

  const run = async (path: StepPath, body: { at?: string }, message: (s: Step) => string) => {
    setBusy(true);
    try {
      const current = dirty || !detail ? await save() : detail;
      if (!current) return;
      const step = await api("POST", path, { params: { id: current.id }, body });
      onDone(message(step), step.article.version, step.article.status);
    } catch (err) {
      onError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const schedule = () => {
    const at = new Date(when);
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      onError("Choose a time in the future to schedule the article.");
      return;
    }
    setScheduling(false);
    run("/articles/{id}/publish", { at: at.toISOString() }, () => `Scheduled for ${at.toLocaleString()}.`);
  };

  /** Signed links to the reader page as it will be, valid for an hour; opened before any await keeps the popup. */
  const preview = async (audience: "anonymous" | "subscriber") => {
    const tab = window.open("about:blank", "_blank");
    try {
      const current = dirty || !detail ? await save() : detail;
      if (!current) return tab?.close();
      const { previewLinks } = await api("POST", "/articles/{id}/preview-links", {
        params: { id: current.id },
        body: {},
      });
      if (tab) tab.location.href = previewLinks[audience];
    } catch (err) {
      tab?.close();
      onError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div class="workflow">
      <fieldset class="preview-buttons">
        <legend class="sr-only">Preview</legend>
        <button type="button" class="button button-quiet" disabled={busy} onClick={() => preview("anonymous")}>
          Preview as reader
        </button>
        <button type="button" class="button button-quiet" disabled={busy} onClick={() => preview("subscriber")}>
          as subscriber
        </button>
      </fieldset>
      <button type="button" class="button" disabled={busy} onClick={() => save()}>
        {live ? "Update" : "Save draft"}
      </button>
      {!live && status !== "in_review" && !mayPublish && (
        <button
          type="button"
          class="button button-primary"
          disabled={busy}
          onClick={() => run("/articles/{id}/submit", {}, () => "Sent to the editors for review.")}
        >
          Submit for review
        </button>
      )}
      {mayPublish && status !== "published" && (
        <>
          <button type="button" class="button" disabled={busy} onClick={() => setScheduling(true)}>
            {status === "scheduled" ? "Reschedule" : "Schedule"}
          </button>
          <button
            type="button"
            class="button button-primary"
            disabled={busy}
            onClick={() => run("/articles/{id}/publish", {}, () => "Published. It is on the site now.")}
          >
            Publish now
          </button>
        </>
      )}
      {mayPublish && live && (
        <button
          type="button"
          class="button button-danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm("Take this article off the site? It goes back to draft.")) {
              run("/articles/{id}/unpublish", {}, () => "Unpublished: the article is a draft again and off the site.");
            }
          }}
        >
          Unpublish
        </button>
      )}
      {detail && status === "published" && atLeast(me, "editor") && (
        <>
          <button type="button" class="button" disabled={busy} onClick={() => setSending(true)}>
            Send as newsletter
          </button>
          {sending && <NewsletterSendDialog article={detail} open onClose={() => setSending(false)} />}
        </>
      )}
      <Dialog
        title="Schedule"
        open={scheduling}
        onClose={() => setScheduling(false)}
        onSubmit={schedule}
        submitLabel="Schedule"
      >
        <label class="field">
          <span>Publish at (your time zone)</span>
          <input
            type="datetime-local"
            name="at"
            step="1"
            value={when}
            onInput={(e) => setWhen(e.currentTarget.value)}
          />
        </label>
      </Dialog>
    </div>
  );
}

/** The next round hour, in the datetime-local format. */
function defaultScheduleTime(): string {
  const next = new Date(Date.now() + 3_600_000);
  next.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${next.getFullYear()}-${pad(next.getMonth() + 1)}-${pad(next.getDate())}T${pad(next.getHours())}:${pad(next.getMinutes())}`;
}
