import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Every message sent while SMTP_URL is unset, so a fresh install works offline and nothing is lost. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The queued message's Message-ID: a retried delivery keeps it once. Unset on rows kept before the queue. */
    messageId: text("message_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("email_outbox_to_idx").on(t.toAddress, t.createdAt),
    uniqueIndex("email_outbox_message_id_unique").on(t.messageId),
  ],
);
