import { SEARCH_MAX_RESULTS, type SearchResults, type Section } from "../../content/index.js";
import { formatRelative, KIND_LABELS } from "./format.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { AccessBadge, Authors, Pagination } from "./parts.js";

export type SearchForm = {
  q: string;
  section: string;
  author: string;
  kind: string;
  from: string;
  to: string;
  /** "" for relevance, or "newest". */
  order: string;
};

export function SearchPage(props: {
  frame: SiteFrame;
  authors: { slug: string; name: string }[];
  form: SearchForm;
  results: SearchResults | undefined;
}) {
  const { frame, authors, form, results } = props;
  const { settings } = frame;
  return (
    <Layout
      frame={frame}
      meta={{
        title: form.q ? `Search: ${form.q}` : "Search",
        description: `Search ${settings.title}`,
        path: "/search",
        noindex: true,
      }}
    >
      <div class="wrap-narrow search">
        <h1>Search</h1>
        <SearchBox sections={frame.sections} authors={authors} form={form} />
        {results && <SearchResultList frame={frame} form={form} results={results} />}
      </div>
    </Layout>
  );
}

/** The query and its filters, each as the reader left it. */
function SearchBox(props: { sections: Section[]; authors: { slug: string; name: string }[]; form: SearchForm }) {
  const { sections, authors, form } = props;
  return (
    <search>
      <form class="search-form" method="get" action="/search">
        <label class="search-query">
          <span class="visually-hidden">Search for</span>
          <input type="search" name="q" value={form.q} placeholder="Words, a “quoted phrase”, a name" maxLength={256} />
        </label>
        <div class="search-filters">
          <label>
            Section
            <select name="section">
              <option value="">All sections</option>
              {sections.map((s: Section) => (
                <option value={s.slug} selected={s.slug === form.section}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Author
            <select name="author">
              <option value="">All authors</option>
              {authors.map((a) => (
                <option value={a.slug} selected={a.slug === form.author}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Kind
            <select name="kind">
              <option value="">All kinds</option>
              {Object.entries(KIND_LABELS).map(([value, label]) => (
                <option value={value} selected={value === form.kind}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input type="date" name="from" value={form.from} />
          </label>
          <label>
            To
            <input type="date" name="to" value={form.to} />
          </label>
          <label>
            Order
            <select name="order">
              <option value="">Best match</option>
              <option value="newest" selected={form.order === "newest"}>
                Newest first
              </option>
            </select>
          </label>
        </div>
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

/** How many matched, a spelling to try instead, the results and their pages. */
function SearchResultList(props: { frame: SiteFrame; form: SearchForm; results: SearchResults }) {
  const { frame, form, results } = props;
  // The reader's words in quotes, unless they carry quotes of their own ("a phrase").
  const quoted = form.q.includes('"') ? form.q : `“${form.q}”`;
  const query = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ""));
  const pageHref = (n: number) => `/search?${new URLSearchParams([...query, ["page", String(n)]])}`;
  const suggestionHref = (q: string) => `/search?${new URLSearchParams({ ...Object.fromEntries(query), q })}`;
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" class="search-count">
        {results.total === 0
          ? `Nothing matches ${quoted}`
          : results.total > SEARCH_MAX_RESULTS
            ? `More than ${SEARCH_MAX_RESULTS} results for ${quoted}. Showing the newest ${SEARCH_MAX_RESULTS}.`
            : `${results.total} result${results.total === 1 ? "" : "s"} for ${quoted}`}
      </h2>
      {results.suggestion && (
        <p class="search-suggestion">
          Did you mean <a href={suggestionHref(results.suggestion)}>{results.suggestion}</a>?
        </p>
      )}
      <ol class="search-results">
        {results.items.map((item) => (
          <SearchResult frame={frame} item={item} />
        ))}
      </ol>
      <Pagination page={results.page} pages={results.pages} hrefFor={pageHref} label="Result pages" order="ranked" />
    </section>
  );
}

/** One result: where it is, its headline, the words that matched in context, who wrote it and when. */
function SearchResult(props: { frame: SiteFrame; item: SearchResults["items"][number] }) {
  const { article, snippetHtml } = props.item;
  const { settings } = props.frame;
  return (
    <li class="search-result">
      <p class="kicker">
        {article.section.name}
        {article.kind !== "news" && ` · ${KIND_LABELS[article.kind]}`}
      </p>
      <h3 class="teaser-title">
        <a href={article.path}>{article.title}</a>
      </h3>
      <p class="search-snippet" dangerouslySetInnerHTML={{ __html: snippetHtml }} />
      <p class="teaser-meta">
        <span class="teaser-byline">
          <Authors authors={article.authors} linked={false} />
        </span>
        <time datetime={article.publishedAt.toISOString()}>
          {formatRelative(article.publishedAt, props.frame.now, settings.language, settings.timeZone)}
        </time>
        <AccessBadge level={article.accessLevel} />
      </p>
    </li>
  );
}
