import type { Queryable } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { newsletters } from "./schema.js";

/** The demo paper's three newsletters; written once, with the demo newspaper. */
export async function seedDemoNewsletters(deps: { db: Queryable; clock: Clock }): Promise<number> {
  const now = deps.clock.now();
  const at = { createdAt: now, updatedAt: now };
  const rows = await deps.db
    .insert(newsletters)
    .values([
      {
        slug: "morning-briefing",
        name: "Morning Briefing",
        description: "The day's news before breakfast: what happened overnight and what to watch today.",
        visibility: "free",
        isDefault: true,
        cadence: "daily",
        sendHour: 7,
        sortOrder: 0,
        ...at,
      },
      {
        slug: "analysis",
        name: "Analysis",
        description: "Our correspondents' longer pieces of the week, in full, every Saturday.",
        visibility: "paid",
        cadence: "weekly",
        sendHour: 9,
        sendWeekday: 6,
        sortOrder: 1,
        ...at,
      },
      {
        slug: "breaking-news",
        name: "Breaking news",
        description: "An email the moment a major story breaks, and only then.",
        visibility: "free",
        cadence: "per-article",
        sortOrder: 2,
        ...at,
      },
    ])
    .onConflictDoNothing({ target: newsletters.slug })
    .returning({ id: newsletters.id });
  return rows.length;
}
