import { formatMoney } from "../money.js";
import type { Revenue } from "../types.js";

/** What the paper earns, as a row of figures above the readers list. */
export function RevenueCards({ revenue }: { revenue: Revenue }) {
  const cards: [string, string][] = [
    ["Monthly revenue", formatMoney(revenue.mrr, revenue.currency)],
    ["Active subscribers", String(revenue.activeSubscribers)],
    ["Trialing", String(revenue.trialing)],
    ["Past due", String(revenue.pastDue)],
    ["New, 30 days", String(revenue.newLast30Days)],
    ["Cancelled, 30 days", String(revenue.cancelledLast30Days)],
    ["Trial conversions", String(revenue.trialConversions)],
  ];
  return (
    <dl class="stats" aria-label="Revenue">
      {cards.map(([label, value]) => (
        <div key={label} class="stat">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
