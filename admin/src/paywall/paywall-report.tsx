import { useLocation } from "preact-iso";
import { api, query } from "../api.js";
import { ErrorNote, useLoad } from "../parts.js";

const PERIODS = ["7", "30", "90"] as const;

/** Which articles meet readers with the wall, and which of those walls turn into accounts and subscriptions. */
export function PaywallReport() {
  const { query: params, route, path } = useLocation();
  const days = PERIODS.find((p) => p === params.days) ?? "30";
  const report = useLoad(() => api("GET", "/paywall/report", { query: { days: Number(days) } }), days);
  return (
    <section class="panel" aria-labelledby="report-heading">
      <div class="panel-head">
        <h2 id="report-heading">What the wall brings in</h2>
        <fieldset class="segmented">
          <legend class="sr-only">Period</legend>
          {PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={p === days}
              onClick={() => route(`${path}${query({ ...params, days: p === "30" ? "" : p })}`, true)}
            >
              {p} days
            </button>
          ))}
        </fieldset>
      </div>
      {report.error && <ErrorNote>{report.error}</ErrorNote>}
      {report.data && report.data.articles.length === 0 && (
        <p class="empty">No reader met the wall in the last {days} days.</p>
      )}
      {report.data && report.data.articles.length > 0 && (
        <div class="table-scroll">
          <table class="table report-table" aria-busy={report.loading}>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col" class="numeric">
                  <Label wide="Walls shown" narrow="Walls" />
                </th>
                <th scope="col" class="numeric">
                  <Label wide="Registrations" narrow="Accounts" />
                </th>
                <th scope="col" class="numeric">
                  <Label wide="Subscriptions" narrow="Subs." />
                </th>
              </tr>
            </thead>
            <tbody>
              {report.data.articles.map((a) => (
                <tr key={a.articleId}>
                  <td>
                    <a class="row-title" href={a.path} target="_blank" rel="noopener">
                      {a.title}
                    </a>
                  </td>
                  <td class="numeric">{a.wallViews}</td>
                  <td class="numeric">{a.registrations}</td>
                  <td class="numeric">{a.subscriptions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A column heading that is shorter on a phone, so the table fits the screen. */
function Label({ wide, narrow }: { wide: string; narrow: string }) {
  return (
    <>
      <span class="hide-narrow">{wide}</span>
      <span class="show-narrow">{narrow}</span>
    </>
  );
}
