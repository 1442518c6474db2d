import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { membersTable as members } from "../members/index.js";

export const NEWSLETTER_VISIBILITIES = ["free", "paid"] as const;
export const NEWSLETTER_CADENCES = ["per-article", "daily", "weekly", "manual"] as const;
export const NEWSLETTER_STATUSES = ["active", "archived"] as const;
export const SUBSCRIPTION_SOURCES = ["signup", "account", "page", "unsubscribe-link", "preferences"] as const;

/** The paper's newsletters: what readers may choose, and how and when each is sent. */
export const newsletters = pgTable(
  "newsletters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Null: the site's title and MAIL_FROM's address (or no-reply@ the public host). */
    senderName: text("sender_name"),
    senderEmail: text("sender_email"),
    replyTo: text("reply_to"),
    /** free: any member may choose it; paid: subscribers only. */
    visibility: text("visibility", { enum: NEWSLETTER_VISIBILITIES }).notNull().default("free"),
    /** Chosen for a reader when they register. */
    isDefault: boolean("is_default").notNull().default(false),
    cadence: text("cadence", { enum: NEWSLETTER_CADENCES }).notNull().default("manual"),
    /** Daily and weekly: the hour (0–23, site time zone) it goes out; weekly: the day (0 Sunday … 6 Saturday). */
    sendHour: integer("send_hour"),
    sendWeekday: integer("send_weekday"),
    /**
     * Daily and weekly: the sections (content's ids) its digest draws from; empty, every section. An array, not a
     * join table: a handful of ids read with the newsletter in every list and written whole. Not foreign keys, so a
     * section deleted later leaves its id behind, matching no article, until the newsletter is next saved.
     */
    sectionIds: uuid("section_ids").array().notNull().default(sql`'{}'::uuid[]`),
    status: text("status", { enum: NEWSLETTER_STATUSES }).notNull().default("active"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    check("newsletters_visibility_check", sql`${t.visibility} IN ('free','paid')`),
    check("newsletters_cadence_check", sql`${t.cadence} IN ('per-article','daily','weekly','manual')`),
    check("newsletters_status_check", sql`${t.status} IN ('active','archived')`),
    check("newsletters_send_hour_check", sql`${t.sendHour} IS NULL OR ${t.sendHour} BETWEEN 0 AND 23`),
    check("newsletters_send_weekday_check", sql`${t.sendWeekday} IS NULL OR ${t.sendWeekday} BETWEEN 0 AND 6`),
  ],
);

/**
 * A member's choice of one newsletter, kept when they leave it (isSubscribed false) so the newsroom knows when
 * and how each choice was made.
 */
export const newsletterSubscriptions = pgTable(
  "newsletter_subscriptions",
  {
    newsletterId: uuid("newsletter_id")
      .notNull()
      .references(() => newsletters.id, { onDelete: "cascade" }),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    isSubscribed: boolean("is_subscribed").notNull(),
    source: text("source", { enum: SUBSCRIPTION_SOURCES }).notNull(),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.newsletterId, t.memberId] }),
    index("newsletter_subscriptions_member_idx").on(t.memberId),
  ],
);

export const SEND_KINDS = ["article", "digest"] as const;
/** `empty`: a digest whose period had no articles, recorded so it is not tried again. */
export const SEND_STATUSES = ["queued", "sending", "sent", "empty", "cancelled"] as const;

/**
 * One issue of a newsletter, fanned out by jobs: an article (once per newsletter and article) or a digest (once per
 * newsletter and period, the articles it carries chosen when it is made).
 */
export const newsletterSends = pgTable(
  "newsletter_sends",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    newsletterId: uuid("newsletter_id")
      .notNull()
      .references(() => newsletters.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: SEND_KINDS }).notNull().default("article"),
    /** An article send's article. Not a foreign key: content owns articles, and a deleted article's send stays. */
    articleId: uuid("article_id"),
    /** A digest's period: the day (YYYY-MM-DD, site time zone) it was due. */
    period: text("period"),
    /** A digest's articles, newest first, and the publication times they were chosen from: (from, to]. */
    digestArticleIds: jsonb("digest_article_ids").$type<string[]>(),
    coversFrom: timestamp("covers_from", { withTimezone: true }),
    coversTo: timestamp("covers_to", { withTimezone: true }),
    sentBy: uuid("sent_by"),
    status: text("status", { enum: SEND_STATUSES }).notNull(),
    /** Messages queued so far (one per subscribed member). */
    queued: integer("queued").notNull().default(0),
    /** Members not sent to because their address is on the suppression list. */
    suppressed: integer("suppressed").notNull().default(0),
    /** Messages queued and then taken back, unsent, when the send was cancelled. */
    withdrawn: integer("withdrawn").notNull().default(0),
    cancelledBy: uuid("cancelled_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("newsletter_sends_newsletter_article_key").on(t.newsletterId, t.articleId),
    uniqueIndex("newsletter_sends_newsletter_period_key").on(t.newsletterId, t.period),
    index("newsletter_sends_newsletter_created_idx").on(t.newsletterId, t.createdAt),
    check("newsletter_sends_status_check", sql`${t.status} IN ('queued','sending','sent','empty','cancelled')`),
    check("newsletter_sends_kind_check", sql`${t.kind} IN ('article','digest')`),
    check(
      "newsletter_sends_kind_fields_check",
      sql`(${t.kind} = 'article' AND ${t.articleId} IS NOT NULL) OR (${t.kind} = 'digest' AND ${t.period} IS NOT NULL)`,
    ),
  ],
);

/** The members a send passed over and why (`suppressed`: their address is on the suppression list). */
export const newsletterSendSkips = pgTable(
  "newsletter_send_skips",
  {
    sendId: uuid("send_id")
      .notNull()
      .references(() => newsletterSends.id, { onDelete: "cascade" }),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    reason: text("reason", { enum: ["suppressed"] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sendId, t.memberId] })],
);
