import { type SQL, sql } from "drizzle-orm";
import { type DayRange, seriesOf } from "../shared/day-range.js";
import type { Queryable } from "./client.js";
import { queryRows } from "./tx.js";

/**
 * A figure per day of `range` (in its time zone), oldest first, days without rows as 0. `at` is the timestamptz
 * column that places a row on a day, `value` what a row adds (count(*) by default), `from` the table with its
 * joins, `where` any further condition.
 */
export async function sumByDay(
  db: Queryable,
  range: DayRange,
  query: { at: SQL; from: SQL; value?: SQL; where?: SQL },
): Promise<number[]> {
  const start = sql`(${range.from}::date::timestamp AT TIME ZONE ${range.timeZone})`;
  const end = sql`((${range.from}::date + ${range.days}::int)::timestamp AT TIME ZONE ${range.timeZone})`;
  const rows = await queryRows<{ day: string; n: number | string }>(
    db,
    sql`SELECT to_char((${query.at} AT TIME ZONE ${range.timeZone})::date, 'YYYY-MM-DD') AS day,
               ${query.value ?? sql`count(*)`} AS n
          FROM ${query.from}
         WHERE ${query.at} >= ${start} AND ${query.at} < ${end}${query.where ? sql` AND ${query.where}` : sql``}
         GROUP BY 1`,
  );
  return seriesOf(range, rows);
}
