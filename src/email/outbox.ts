import { desc } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { emailOutbox } from "./schema.js";

export type OutboxMessage = { id: string; to: string; subject: string; text: string; createdAt: Date };

/**
 * The newest messages kept while no mail server is configured, for the newsroom to show admins. Link tokens
 * are blanked: they are keys to other people's accounts (the log line of each message still carries them).
 */
export async function listOutbox(db: Queryable, limit: number): Promise<OutboxMessage[]> {
  const rows = await db
    .select({
      id: emailOutbox.id,
      to: emailOutbox.toAddress,
      subject: emailOutbox.subject,
      text: emailOutbox.text,
      createdAt: emailOutbox.createdAt,
    })
    .from(emailOutbox)
    .orderBy(desc(emailOutbox.createdAt))
    .limit(limit);
  return rows.map((row) => ({ ...row, text: row.text.replace(/([?&]token=)[^&\s]+/g, "$1…") }));
}
