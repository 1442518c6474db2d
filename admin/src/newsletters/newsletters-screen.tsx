import { useState } from "preact/hooks";
import { api } from "../api.js";
import { ErrorNote, NoticeBar, PageHeader, useListChange, useLoad } from "../parts.js";
import type { Newsletter, Section } from "../types.js";
import { CADENCE_LABELS, NewsletterDialog } from "./newsletter-dialog.js";
import { SendsDialog } from "./sends-dialog.js";

const WEEKDAYS = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];

/** When it goes out, in words: "Daily digest at 07:00", and a digest's sections: "from Politics, Sport". */
function whenText(n: Newsletter, sections: Section[]): string {
  const hour = n.sendHour === null ? "" : ` at ${String(n.sendHour).padStart(2, "0")}:00`;
  const names = n.sectionIds.map((id) => sections.find((s) => s.id === id)?.name).filter(Boolean);
  const from = names.length > 0 ? `, from ${names.join(", ")}` : "";
  if (n.cadence === "weekly") return `Weekly, ${WEEKDAYS[n.sendWeekday ?? 0]}${hour}${from}`;
  return `${CADENCE_LABELS[n.cadence]}${n.cadence === "daily" ? hour + from : ""}`;
}

/** The paper's newsletters: how many readers receive each, made, changed, archived and restored. */
export function NewslettersScreen() {
  const list = useLoad(() => api("GET", "/newsletters"), "newsletters");
  const sections = useLoad(() => api("GET", "/sections"), "sections");
  const sectionList = sections.data?.sections ?? [];
  const [editing, setEditing] = useState<Newsletter | "new" | null>(null);
  const [reporting, setReporting] = useState<Newsletter | null>(null);
  const { notice, setNotice, busy, change } = useListChange(list.reload);
  const archive = (n: Newsletter) => {
    if (!window.confirm(`Archive ${n.name}? It leaves readers' lists and its page; their choices are kept.`)) return;
    change(
      () => api("POST", "/newsletters/{id}/archive", { params: { id: n.id }, body: {} }),
      `${n.name} is archived. Readers' choices are kept if you restore it.`,
    );
  };
  const restore = (n: Newsletter) =>
    change(
      () => api("POST", "/newsletters/{id}/restore", { params: { id: n.id }, body: {} }),
      `${n.name} is active again.`,
    );

  return (
    <section>
      <PageHeader title="Newsletters">
        <button
          type="button"
          class="button button-primary"
          onClick={() => {
            setNotice(null);
            setEditing("new");
          }}
        >
          New newsletter
        </button>
      </PageHeader>
      <p class="hint hint-top">
        The emails readers may choose, on their account page and each newsletter's own page. Send an article as a
        newsletter from the article's editor.
      </p>
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && list.data.newsletters.length === 0 && (
        <p class="empty">No newsletters yet. Make one for readers to choose.</p>
      )}
      {list.data && list.data.newsletters.length > 0 && (
        <table class="table newsletter-table" aria-busy={list.loading || busy}>
          <thead>
            <tr>
              <th scope="col">Newsletter</th>
              <th scope="col" class="hide-narrow">
                Sent
              </th>
              <th scope="col" class="numeric">
                Readers
              </th>
              <th scope="col" class="hide-narrow">
                Status
              </th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.newsletters.map((n) => (
              <tr key={n.id} class={n.status === "archived" ? "is-archived" : undefined}>
                <td>
                  <span class="cell-title">{n.name}</span>
                  <span class="cell-meta">
                    {n.status === "active" ? <a href={n.pageUrl}>/newsletters/{n.slug}</a> : `/newsletters/${n.slug}`}
                    {n.visibility === "paid" && <span class="badge badge-default">Subscribers only</span>}
                    {n.isDefault && <span class="badge badge-default">Default</span>}
                  </span>
                </td>
                <td class="hide-narrow">{whenText(n, sectionList)}</td>
                <td class="numeric">{n.subscribers}</td>
                <td class="hide-narrow">
                  <span class={`badge badge-newsletter-${n.status}`}>
                    {n.status === "active" ? "Active" : "Archived"}
                  </span>
                </td>
                <td class="row-action">
                  <div class="offer-actions">
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`Edit ${n.name}`}
                      onClick={() => {
                        setNotice(null);
                        setEditing(n);
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`Sends of ${n.name}`}
                      onClick={() => setReporting(n)}
                    >
                      Sends
                    </button>
                    {n.status === "active" ? (
                      <button
                        type="button"
                        class="button button-small button-danger"
                        aria-label={`Archive ${n.name}`}
                        onClick={() => archive(n)}
                      >
                        Archive
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="button button-small"
                        aria-label={`Restore ${n.name}`}
                        onClick={() => restore(n)}
                      >
                        Restore
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <SendsDialog newsletter={reporting} onClose={() => setReporting(null)} />
      <NewsletterDialog
        editing={editing}
        sections={sectionList}
        onClose={() => setEditing(null)}
        onSaved={(n, made) => {
          setEditing(null);
          setNotice({ ok: true, text: made ? `${n.name} is ready: readers can choose it.` : `${n.name} is saved.` });
          list.reload();
        }}
      />
    </section>
  );
}
