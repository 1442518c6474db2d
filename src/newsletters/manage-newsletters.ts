/** The newsroom's side of newsletters: make, change and archive them; list them for staff, readers and Ghost. */
import { and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import * as content from "../content/index.js";
import type { Queryable } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { Conflict, Invalid, NotFound } from "../shared/errors.js";
import { isValidSlug, slugify, uniqueSlug } from "../shared/slug.js";
import { newsletters } from "./schema.js";

export type NewsletterRow = typeof newsletters.$inferSelect;
export type NewsletterCadence = NewsletterRow["cadence"];
export type NewsletterVisibility = NewsletterRow["visibility"];
/** A newsletter with how many members receive it now. */
export type Newsletter = NewsletterRow & { subscribers: number };

export type NewsletterInput = {
  name: string;
  slug?: string | undefined;
  description?: string | undefined;
  senderName?: string | null | undefined;
  senderEmail?: string | null | undefined;
  replyTo?: string | null | undefined;
  visibility?: NewsletterVisibility | undefined;
  isDefault?: boolean | undefined;
  cadence?: NewsletterCadence | undefined;
  sendHour?: number | null | undefined;
  sendWeekday?: number | null | undefined;
  /** Daily and weekly: the sections its digest draws from (none: every section); other cadences keep none. */
  sectionIds?: string[] | undefined;
  sortOrder?: number | undefined;
};
export type NewsletterChanges = Partial<NewsletterInput>;

type Deps = { db: Queryable; clock: Clock };

const subscriberCount = sql<number>`(SELECT count(*)::int FROM newsletter_subscriptions s
  WHERE s.newsletter_id = ${sql.raw(`"newsletters"."id"`)} AND s.is_subscribed)`;

async function selectNewsletters(db: Queryable, where: SQL | undefined): Promise<Newsletter[]> {
  const rows = await db
    .select({ newsletter: newsletters, subscribers: subscriberCount })
    .from(newsletters)
    .where(where)
    .orderBy(sql`${newsletters.status} = 'archived'`, asc(newsletters.sortOrder), asc(newsletters.createdAt));
  return rows.map((r) => ({ ...r.newsletter, subscribers: Number(r.subscribers) }));
}

/** Every newsletter, archived ones last, then by sort order. */
export function listNewsletters(db: Queryable): Promise<Newsletter[]> {
  return selectNewsletters(db, undefined);
}

/** The ones readers may choose, by sort order. */
export function listActiveNewsletters(db: Queryable): Promise<Newsletter[]> {
  return selectNewsletters(db, eq(newsletters.status, "active"));
}

export async function getNewsletter(db: Queryable, id: string): Promise<Newsletter> {
  const [found] = await selectNewsletters(db, eq(newsletters.id, id));
  if (!found) throw new NotFound("NEWSLETTER_NOT_FOUND", "There is no newsletter with that id.");
  return found;
}

/** An active newsletter by its slug (its public page); archived ones are not found. */
export async function findActiveNewsletterBySlug(db: Queryable, slug: string): Promise<Newsletter | undefined> {
  const [found] = await selectNewsletters(db, and(eq(newsletters.slug, slug), eq(newsletters.status, "active")));
  return found;
}

/** Daily and weekly newsletters need an hour, weekly ones a day; per-article and manual ones keep neither. */
function checkSchedule(row: Pick<NewsletterRow, "cadence" | "sendHour" | "sendWeekday">): void {
  const timed = row.cadence === "daily" || row.cadence === "weekly";
  if (timed && row.sendHour === null) {
    throw new Invalid("SEND_HOUR_REQUIRED", `A ${row.cadence} newsletter needs the hour it goes out (0 to 23).`, {
      property: "sendHour",
    });
  }
  if (row.cadence === "weekly" && row.sendWeekday === null) {
    throw new Invalid("SEND_WEEKDAY_REQUIRED", "A weekly newsletter needs the day it goes out (0 Sunday to 6).", {
      property: "sendWeekday",
    });
  }
}

/** Every chosen section must be one of the paper's (archived ones included); the first unknown one is named. */
async function checkSections(db: Queryable, sectionIds: readonly string[]): Promise<void> {
  if (sectionIds.length === 0) return;
  const known = new Set((await content.listSections(db, { withArchived: true })).map((s) => s.id));
  const unknown = sectionIds.find((id) => !known.has(id));
  if (unknown !== undefined) {
    throw new Invalid("SECTION_NOT_FOUND", `There is no section with the id ${unknown}.`, {
      property: "sectionIds",
      help: "Choose among the paper's sections, or none for every section.",
    });
  }
}

async function isSlugTaken(db: Queryable, slug: string, exceptId?: string): Promise<boolean> {
  const found = await db
    .select({ id: newsletters.id })
    .from(newsletters)
    .where(exceptId ? and(eq(newsletters.slug, slug), ne(newsletters.id, exceptId)) : eq(newsletters.slug, slug))
    .limit(1);
  return found.length > 0;
}

async function checkSlug(db: Queryable, slug: string, exceptId?: string): Promise<void> {
  if (!isValidSlug(slug)) {
    throw new Invalid("INVALID_SLUG", "A slug is lower-case letters, digits and single dashes.", { property: "slug" });
  }
  if (await isSlugTaken(db, slug, exceptId)) {
    throw new Conflict("SLUG_TAKEN", `"${slug}" is already another newsletter's address.`, {
      property: "slug",
      help: "Pick another slug.",
    });
  }
}

function scheduleOf(input: NewsletterChanges, before?: NewsletterRow) {
  const cadence = input.cadence ?? before?.cadence ?? "manual";
  const timed = cadence === "daily" || cadence === "weekly";
  return {
    cadence,
    sendHour: timed ? (input.sendHour !== undefined ? input.sendHour : (before?.sendHour ?? null)) : null,
    sendWeekday:
      cadence === "weekly"
        ? input.sendWeekday !== undefined
          ? input.sendWeekday
          : (before?.sendWeekday ?? null)
        : null,
    // Only a digest draws from sections; kept once, in the order given.
    sectionIds: timed ? [...new Set(input.sectionIds ?? before?.sectionIds ?? [])] : [],
  };
}

export async function createNewsletter(deps: Deps, input: NewsletterInput): Promise<Newsletter> {
  const schedule = scheduleOf(input);
  checkSchedule(schedule);
  await checkSections(deps.db, schedule.sectionIds);
  let slug = input.slug;
  if (slug === undefined) slug = await uniqueSlug(slugify(input.name), (s) => isSlugTaken(deps.db, s));
  else await checkSlug(deps.db, slug);
  const now = deps.clock.now();
  const [row] = await deps.db
    .insert(newsletters)
    .values({
      name: input.name,
      slug,
      description: input.description ?? "",
      senderName: input.senderName ?? null,
      senderEmail: input.senderEmail ?? null,
      replyTo: input.replyTo ?? null,
      visibility: input.visibility ?? "free",
      isDefault: input.isDefault ?? false,
      ...schedule,
      sortOrder: input.sortOrder ?? 0,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: newsletters.id });
  return getNewsletter(deps.db, row!.id);
}

export async function changeNewsletter(
  deps: Deps,
  input: { id: string; changes: NewsletterChanges },
): Promise<Newsletter> {
  const before = await getNewsletter(deps.db, input.id);
  const { changes } = input;
  if (changes.slug !== undefined && changes.slug !== before.slug) await checkSlug(deps.db, changes.slug, before.id);
  const schedule = scheduleOf(changes, before);
  checkSchedule(schedule);
  await checkSections(deps.db, schedule.sectionIds);
  const { cadence: _c, sendHour: _h, sendWeekday: _w, sectionIds: _s, ...rest } = changes;
  await deps.db
    .update(newsletters)
    .set({ ...rest, ...schedule, updatedAt: deps.clock.now() })
    .where(eq(newsletters.id, before.id));
  return getNewsletter(deps.db, before.id);
}

/** Archived: off every reader's list and its page, nothing more is sent; the choices readers made are kept. */
export async function archiveNewsletter(deps: Deps, id: string): Promise<Newsletter> {
  await getNewsletter(deps.db, id);
  await deps.db
    .update(newsletters)
    .set({ status: "archived", isDefault: false, updatedAt: deps.clock.now() })
    .where(eq(newsletters.id, id));
  return getNewsletter(deps.db, id);
}

/** Back on readers' lists. */
export async function restoreNewsletter(deps: Deps, id: string): Promise<Newsletter> {
  await getNewsletter(deps.db, id);
  await deps.db
    .update(newsletters)
    .set({ status: "active", updatedAt: deps.clock.now() })
    .where(eq(newsletters.id, id));
  return getNewsletter(deps.db, id);
}

/**
 * A section being deleted (in `db`, its transaction) leaves the digests that chose it. A digest choosing it alone
 * refuses the delete: with none left it would carry every section, which nobody chose.
 */
export async function forgetSection(db: Queryable, sectionId: string): Promise<void> {
  const [alone] = await db
    .select({ name: newsletters.name })
    .from(newsletters)
    .where(sql`${newsletters.sectionIds} = ARRAY[${sectionId}::uuid]`)
    .limit(1);
  if (alone) {
    throw new Conflict("SECTION_IN_DIGEST", `"${alone.name}" carries only this section.`, {
      help: "Choose that newsletter's sections first, then delete this one.",
    });
  }
  await db
    .update(newsletters)
    .set({ sectionIds: sql`array_remove(${newsletters.sectionIds}, ${sectionId}::uuid)` })
    .where(sql`${sectionId}::uuid = ANY(${newsletters.sectionIds})`);
}
