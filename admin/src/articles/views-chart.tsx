import { api } from "../api.js";
import { BarChart } from "../dashboard/bar-chart.js";
import { useLoad } from "../parts.js";

const HOUR_MS = 3_600_000;
const hourFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});

/** Readers' views per hour over the article's first three days, for editors. */
export function ViewsChart({ articleId }: { articleId: string }) {
  const loaded = useLoad(() => api("GET", "/articles/{id}/views", { params: { id: articleId }, query: {} }), articleId);
  const d = loaded.data;
  if (!d?.from) return null;
  const from = Date.parse(d.from);
  const total = d.views.reduce((a, b) => a + b, 0);
  return (
    <section class="fieldset views-chart" aria-labelledby="views-heading">
      <h2 id="views-heading" class="legend-like">
        Readers
      </h2>
      <p class="figure-today">{total.toLocaleString("en-GB")}</p>
      <BarChart
        values={d.views}
        labels={d.views.map((_, i) => hourFormat.format(new Date(from + i * HOUR_MS)))}
        title="Views per hour since first published"
        width={240}
        height={48}
      />
      <p class="hint">Views per hour since it was first published ({d.views.length} h, up to 3 days).</p>
    </section>
  );
}
