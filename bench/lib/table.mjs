// The benches' tables: markdown, padded so they also read well in a terminal.

/** autocannon's latency histogram counts whole milliseconds, so decimals would be false precision. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return "n/a";
  return ms < 1 ? "<1" : String(Math.round(ms));
}

export function formatReqPerSec(value) {
  return Math.round(value).toLocaleString("en-US");
}

export function formatRatio(value, reference) {
  return reference ? `${Math.round((value / reference) * 100)}%` : "n/a";
}

/** Bad statuses (by status), connection errors and timeouts of a row, or "0". */
export function formatProblems(row) {
  const parts = [];
  for (const [status, count] of Object.entries(row.unexpected ?? {})) {
    parts.push(`${count.toLocaleString("en-US")} × ${status}`);
  }
  if (row.errors) parts.push(`${row.errors} errors`);
  if (row.timeouts) parts.push(`${row.timeouts} timeouts`);
  return parts.join(", ") || "0";
}

export function markdownTable(header, rows, rightAligned) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cell, i) => (rightAligned[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]));
  const line = (cells) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
