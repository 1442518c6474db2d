import { useState } from "preact/hooks";
import { useLocation } from "preact-iso";
import { api, type Input, query } from "../api.js";
import {
  ErrorNote,
  failureNotice,
  formatDate,
  MemberStateBadge,
  type Notice,
  NoticeBar,
  PageHeader,
  SearchField,
  useLoad,
} from "../parts.js";
import { MEMBER_STATE_LABELS, MEMBER_STATES, type Member } from "../types.js";
import { ComplimentaryDialog, endFreeAccess } from "./complimentary-dialog.js";
import { ImportDialog } from "./import-dialog.js";
import { takeListNotice } from "./list-notice.js";
import { RevenueCards } from "./revenue-cards.js";

type ListQuery = NonNullable<Input<"GET", "/members">["query"]>;
const FILTERS = ["q", "filter", "sort", "page"] as const;

/** Every reader with an account, what they pay, and what the paper earns; filtered in the address. */
export function ReaderList() {
  const { query: params, route, path } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params[k] ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  // The address's filters go as they are: the server checks them, and a bad one is shown as its 400.
  const list = useLoad(
    () => api("GET", "/members", { query: { ...filters, page: Number(filters.page) || undefined } as ListQuery }),
    JSON.stringify(filters),
  );
  const revenue = useLoad(() => api("GET", "/revenue"), "revenue");
  const [importing, setImporting] = useState(false);
  const [granting, setGranting] = useState<Member | null>(null);
  const [notice, setNotice] = useState<Notice | null>(() => {
    const handed = takeListNotice();
    return handed ? { ok: true, text: handed } : null;
  });

  const set = (changes: Partial<typeof filters>) => route(`${path}${query({ ...filters, page: "", ...changes })}`);
  const changed = (text: string) => {
    setNotice({ ok: true, text });
    list.reload();
    revenue.reload();
  };
  const endGrant = async (member: Member) => {
    try {
      const done = await endFreeAccess(member);
      if (done) changed(done);
    } catch (err) {
      setNotice(failureNotice(err));
    }
  };

  return (
    <section>
      <PageHeader title="Readers">
        <a class="button" href="/admin/api/members.csv" download>
          Download CSV
        </a>
        <button type="button" class="button button-primary" onClick={() => setImporting(true)}>
          Import CSV
        </button>
      </PageHeader>
      {revenue.error && <ErrorNote>{revenue.error}</ErrorNote>}
      {revenue.data && <RevenueCards revenue={revenue.data} />}
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      <form
        class="filters"
        aria-label="Find readers"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          set({ q: typeof q === "string" ? q.trim() : "" });
        }}
      >
        <SearchField label="Search readers" placeholder="Search by email or name" query={filters.q} />
        <label class="field">
          <span class="sr-only">State</span>
          <select aria-label="State" value={filters.filter} onChange={(e) => set({ filter: e.currentTarget.value })}>
            <option value="">All readers</option>
            {MEMBER_STATES.map((s) => (
              <option key={s} value={s}>
                {MEMBER_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="sr-only">Sort</span>
          <select
            aria-label="Sort"
            value={filters.sort || "newest"}
            onChange={(e) => set({ sort: e.currentTarget.value })}
          >
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
      </form>
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && list.data.members.length === 0 && (
        <p class="empty">
          {filters.q || filters.filter
            ? "No readers match. Try fewer filters."
            : "No readers yet. Import a list to start."}
        </p>
      )}
      {list.data && list.data.members.length > 0 && (
        <table class="table reader-table" aria-busy={list.loading}>
          <thead>
            <tr>
              <th scope="col">Reader</th>
              <th scope="col" class="hide-narrow">
                State
              </th>
              <th scope="col" class="hide-narrow">
                Renews / ends
              </th>
              <th scope="col">
                <span class="sr-only">Free access</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.members.map((m) => (
              <tr key={m.id}>
                <td class="reader-cell">
                  <a class="reader-email" href={`/admin/readers/${m.id}`}>
                    {m.email}
                  </a>
                  <span class="row-meta">{m.name || "No name"}</span>
                  <span class="show-narrow reader-state">
                    <MemberStateBadge state={m.state} />
                  </span>
                  {m.currentPeriodEnd && (
                    <span class="row-meta show-narrow">Renews / ends {formatDate(m.currentPeriodEnd)}</span>
                  )}
                </td>
                <td class="hide-narrow">
                  <MemberStateBadge state={m.state} />
                </td>
                <td class="hide-narrow">
                  {m.currentPeriodEnd ? (
                    <time dateTime={m.currentPeriodEnd}>{formatDate(m.currentPeriodEnd)}</time>
                  ) : (
                    "—"
                  )}
                </td>
                <td class="row-action">
                  {m.state === "complimentary" ? (
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`End free access for ${m.email}`}
                      onClick={() => endGrant(m)}
                    >
                      End free access
                    </button>
                  ) : (
                    <button
                      type="button"
                      class="button button-small"
                      aria-label={`Give free access to ${m.email}`}
                      onClick={() => setGranting(m)}
                    >
                      Give free access
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button
            type="button"
            class="button"
            disabled={list.data.page <= 1}
            onClick={() => set({ page: String(list.data!.page - 1) })}
          >
            Previous
          </button>
          <span>
            Page {list.data.page} of {list.data.pages} · {list.data.total} readers
          </span>
          <button
            type="button"
            class="button"
            disabled={list.data.page >= list.data.pages}
            onClick={() => set({ page: String(list.data!.page + 1) })}
          >
            Next
          </button>
        </nav>
      )}
      {list.data && list.data.pages <= 1 && list.data.total > 0 && (
        <p class="pager">{list.data.total === 1 ? "1 reader" : `${list.data.total} readers`}</p>
      )}
      <ImportDialog open={importing} onClose={() => setImporting(false)} onImported={changed} />
      <ComplimentaryDialog
        member={granting}
        onClose={() => setGranting(null)}
        onGranted={(text) => {
          setGranting(null);
          changed(text);
        }}
      />
    </section>
  );
}
