import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, type Input, query, type Reply } from "../api.js";
import { ErrorNote, formatTime, NoticeBar, PageHeader, SearchField, useListChange, useLoad } from "../parts.js";

type Suppression = Reply<"GET", "/suppressions">["suppressions"][number];
type ListQuery = NonNullable<Input<"GET", "/suppressions">["query"]>;

const REASONS: Record<Suppression["reason"], string> = {
  hard_bounce: "Hard bounce",
  complaint: "Complaint",
  manual: "Added by hand",
  smtp_rejected: "Refused by the mail server",
};

/** Where an entry came from, in words: the provider's webhook, a refusal at sending, or a staff member. */
const sourceText = (source: string) =>
  source === "smtp"
    ? "Mail server"
    : source === "postmark"
      ? "Postmark"
      : source.startsWith("staff:")
        ? "Staff"
        : source;

/**
 * The addresses newsletters are no longer sent to, and why: searched by part of the address, filtered by reason,
 * added by hand and taken off (a reader who fixed their mailbox). Sign-in links and receipts still reach them.
 */
export function SuppressionsScreen() {
  const { query: params, route, path } = useLocation();
  const q = params.q ?? "";
  const reason = params.reason ?? "";
  const list = useLoad(
    () => api("GET", "/suppressions", { query: { q: q || undefined, reason: reason || undefined } as ListQuery }),
    `${q}|${reason}`,
  );
  const { notice, setNotice, busy, change } = useListChange(list.reload);
  const [address, setAddress] = useState("");
  const set = (next: { q?: string; reason?: string }) => route(`${path}${query({ q, reason, ...next })}`);
  const remove = (s: Suppression) => {
    if (!window.confirm(`Take ${s.address} off the list? Newsletters will be sent to it again.`)) return;
    change(
      () => api("DELETE", "/suppressions/{address}", { params: { address: s.address } }),
      `${s.address} is off the list: newsletters will reach it again.`,
    );
  };
  const add = (e: Event) => {
    e.preventDefault();
    const entered = address.trim();
    if (!entered) return;
    change(async () => {
      await api("POST", "/suppressions", { body: { address: entered } });
      setAddress("");
    }, `${entered} is on the list: newsletters will skip it.`);
  };
  return (
    <section>
      <PageHeader title="Suppressed addresses" />
      <p class="hint hint-top">
        Newsletters skip these addresses: hard bounces and complaints reported by the mail provider, addresses the mail
        server refused, and those added here. Sign-in links and receipts still reach them.
      </p>
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      <form
        class="filters"
        aria-label="Find suppressed addresses"
        onSubmit={(e) => {
          e.preventDefault();
          const entered = new FormData(e.currentTarget).get("q");
          set({ q: typeof entered === "string" ? entered.trim() : "" });
        }}
      >
        <SearchField label="Search addresses" placeholder="Part of an address" query={q} />
        <label class="field">
          <span class="sr-only">Reason</span>
          <select value={reason} aria-label="Reason" onChange={(e) => set({ reason: e.currentTarget.value })}>
            <option value="">All reasons</option>
            {Object.entries(REASONS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="button">
          Search
        </button>
      </form>
      <form class="filters" aria-label="Add an address" onSubmit={add}>
        <label class="field field-grow">
          <span class="sr-only">Address to add</span>
          <input
            type="email"
            name="address"
            placeholder="reader@example.com"
            value={address}
            maxLength={320}
            onInput={(e) => setAddress(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button" disabled={busy}>
          Add to the list
        </button>
      </form>
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && list.data.suppressions.length === 0 && (
        <p class="empty">{q || reason ? "No suppressed address matches." : "No address is suppressed."}</p>
      )}
      {list.data && list.data.suppressions.length > 0 && (
        <table class="table suppression-table" aria-busy={list.loading || busy}>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Reason</th>
              <th scope="col" class="hide-narrow">
                From
              </th>
              <th scope="col" class="hide-narrow">
                Added
              </th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.suppressions.map((s) => (
              <tr key={s.address}>
                <td>
                  <span class="cell-title">{s.address}</span>
                  {s.detail && <span class="cell-meta">{s.detail}</span>}
                </td>
                <td>{REASONS[s.reason]}</td>
                <td class="hide-narrow">{sourceText(s.source)}</td>
                <td class="hide-narrow">{formatTime(s.createdAt)}</td>
                <td class="row-action">
                  <button
                    type="button"
                    class="button button-small"
                    disabled={busy}
                    aria-label={`Remove ${s.address}`}
                    onClick={() => remove(s)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
