import { api } from "../api.js";
import { ErrorNote, PageHeader, useLoad } from "../parts.js";
import { BarChart } from "./bar-chart.js";

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const labelOf = (day: string) => dayLabel.format(new Date(`${day}T00:00:00Z`));
const count = new Intl.NumberFormat("en-GB");

type Figure = { key: "published" | "views" | "signUps" | "subscriptions"; name: string; chart: string };
const FIGURES: Figure[] = [
  { key: "published", name: "Articles published", chart: "Articles published per day" },
  { key: "views", name: "Page views", chart: "Page views per day" },
  { key: "signUps", name: "New sign-ups", chart: "New reader accounts per day" },
  { key: "subscriptions", name: "New subscriptions", chart: "New subscriptions per day" },
];

/** The newsroom's first screen for editors: today's figures beside the last 14 days, and what readers read. */
export function DashboardScreen() {
  const data = useLoad(() => api("GET", "/dashboard", { query: {} }), "dashboard");
  const d = data.data;
  return (
    <>
      <PageHeader title="Today" />
      {data.error && <ErrorNote>{data.error}</ErrorNote>}
      {d && (
        <>
          <p class="hint dashboard-note">
            Days run midnight to midnight in {d.timeZone}. Views are saved every few seconds; robots are not counted.
          </p>
          <ul class="figures" aria-label="Today's figures">
            {FIGURES.map((f) => {
              const series = d[f.key];
              const today = series[series.length - 1] ?? 0;
              const total = series.reduce((a, b) => a + b, 0);
              return (
                <li key={f.key} class="figure">
                  <h2 class="figure-name">{f.name}</h2>
                  <p class="figure-today">{count.format(today)}</p>
                  <BarChart
                    values={series}
                    labels={d.days.map(labelOf)}
                    title={`${f.chart}, last ${d.days.length} days`}
                  />
                  <p class="figure-period">
                    {count.format(total)} in {d.days.length} days
                  </p>
                </li>
              );
            })}
          </ul>
          <section class="panel" aria-labelledby="most-read-heading">
            <h2 id="most-read-heading" class="panel-title">
              Most read, last 24 hours
            </h2>
            {d.mostRead.length === 0 ? (
              <p class="empty">No article has been read in the last 24 hours.</p>
            ) : (
              <ol class="most-read-list">
                {d.mostRead.map((a) => (
                  <li key={a.id}>
                    <a class="row-title" href={`/admin/articles/${a.id}`}>
                      {a.title}
                    </a>
                    <span class="most-read-views">{count.format(a.views)} views</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}
