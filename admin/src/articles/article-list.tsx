import { useLocation } from "preact-iso";
import { api, type Input, query } from "../api.js";
import { ErrorNote, PageHeader, relativeTime, SearchField, StatusBadge, useLoad } from "../parts.js";
import { KINDS, STATUS_LABELS, STATUSES } from "../types.js";

type ListQuery = NonNullable<Input<"GET", "/articles">["query"]>;
const FILTERS = ["q", "status", "sectionId", "authorId", "kind", "sort", "page"] as const;
const SORTS: Record<string, string> = {
  "-updated": "Last edited",
  "-published": "Newest published",
  published: "Oldest published",
  title: "Title A–Z",
};

/** Every article the signed-in staff member may see, filtered in the address so back and reload keep the view. */
export function ArticleList() {
  const { query: params, route, path } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params[k] ?? ""])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  // The address's filters go as they are: the server checks them, and a bad one is shown as its 400.
  const list = useLoad(
    () => api("GET", "/articles", { query: { ...filters, page: Number(filters.page) || undefined } as ListQuery }),
    JSON.stringify(filters),
  );
  const sections = useLoad(() => api("GET", "/sections"), "sections");
  const staff = useLoad(() => api("GET", "/staff"), "staff");

  const set = (changes: Partial<typeof filters>) => {
    const next = { ...filters, page: "", ...changes };
    route(`${path}${query(next)}`);
  };

  return (
    <section>
      <PageHeader title="Articles">
        <a class="button button-primary" href="/admin/articles/new">
          New article
        </a>
      </PageHeader>
      <form
        class="filters"
        aria-label="Find articles"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          set({ q: typeof q === "string" ? q : "" });
        }}
      >
        <SearchField label="Search articles" placeholder="Search headlines and text" query={filters.q} />
        <Select label="Status" value={filters.status} onChange={(status) => set({ status })}>
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
        <Select label="Section" value={filters.sectionId} onChange={(sectionId) => set({ sectionId })}>
          <option value="">All sections</option>
          {sections.data?.sections.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
        <Select label="Author" value={filters.authorId} onChange={(authorId) => set({ authorId })}>
          <option value="">All authors</option>
          {staff.data?.staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
        <Select label="Kind" value={filters.kind} onChange={(kind) => set({ kind })}>
          <option value="">All kinds</option>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k[0]!.toUpperCase() + k.slice(1)}
            </option>
          ))}
        </Select>
        <Select label="Sort" value={filters.sort || "-updated"} onChange={(sort) => set({ sort })}>
          {Object.entries(SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </form>
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && list.data.articles.length === 0 && (
        <p class="empty">
          No articles match. {filters.q || filters.status ? "Try fewer filters." : "Write the first one."}
        </p>
      )}
      {list.data && list.data.articles.length > 0 && (
        <table class="table article-table" aria-busy={list.loading}>
          <thead>
            <tr>
              <th scope="col">Headline</th>
              <th scope="col">Status</th>
              <th scope="col" class="hide-narrow">
                Section
              </th>
              <th scope="col" class="hide-narrow">
                By
              </th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {list.data.articles.map((a) => (
              <tr key={a.id}>
                <td>
                  <a class="row-title" href={`/admin/articles/${a.id}`}>
                    {a.title}
                  </a>
                  <span class="row-meta">{a.kind}</span>
                </td>
                <td>
                  <StatusBadge status={a.status} />
                </td>
                <td class="hide-narrow">{a.section.name}</td>
                <td class="hide-narrow">{a.authors.map((x) => x.name).join(", ")}</td>
                <td>
                  <time dateTime={a.updatedAt}>{relativeTime(a.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.meta.pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button
            type="button"
            class="button"
            disabled={list.data.meta.page <= 1}
            onClick={() => set({ ...filters, page: String(list.data!.meta.page - 1) })}
          >
            Previous
          </button>
          <span>
            Page {list.data.meta.page} of {list.data.meta.pages} · {list.data.meta.total} articles
          </span>
          <button
            type="button"
            class="button"
            disabled={list.data.meta.page >= list.data.meta.pages}
            onClick={() => set({ ...filters, page: String(list.data!.meta.page + 1) })}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}

type SelectProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: preact.ComponentChildren;
};

function Select({ label, value, onChange, children }: SelectProps) {
  return (
    <label class="field">
      <span class="sr-only">{label}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value)} aria-label={label}>
        {children}
      </select>
    </label>
  );
}
