/**
 * A small bar chart as inline SVG: one bar per value, the last one (today, or the latest hour) in the accent
 * colour. Screen readers get the figures as a list in the label; each bar has its own title for a pointer.
 */
type Props = {
  values: readonly number[];
  /** What each bar is ("3 Dec", "hour 5"), in the order of `values`. */
  labels: readonly string[];
  /** What the chart shows, for its accessible name ("Views per day"). */
  title: string;
  width?: number;
  height?: number;
};

export function BarChart({ values, labels, title, width = 168, height = 40 }: Props) {
  const top = Math.max(1, ...values);
  const slot = width / Math.max(1, values.length);
  const gap = slot > 4 ? 1 : 0;
  const summary = values.map((v, i) => `${labels[i]}: ${v}`).join(", ");
  return (
    <svg
      class="bar-chart"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={`${title}. ${summary}`}
      preserveAspectRatio="none"
    >
      <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} class="bar-chart-base" />
      {values.map((v, i) => {
        const h = v === 0 ? 0 : Math.max(2, (v / top) * (height - 2));
        return (
          <rect
            key={labels[i]}
            class={i === values.length - 1 ? "bar bar-latest" : "bar"}
            x={i * slot + gap / 2}
            y={height - h}
            width={Math.max(1, slot - gap)}
            height={h}
          >
            <title>{`${labels[i]}: ${v}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
