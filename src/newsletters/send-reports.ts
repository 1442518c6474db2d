/**
 * A newsletter's sends as the newsroom reports them, and cancelling one while messages are still waiting. Counts
 * come from the send row (queued, suppressed, withdrawn) and the mail queue (waiting, failed); delivered is what
 * was queued less the rest, because the queue prunes delivered messages after a week.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import * as content from "../content/index.js";
import { type Db, type Queryable, queryRows, withTransaction } from "../db/index.js";
import { mailJobKey } from "../email/index.js";
import { countJobsByKeyPrefix, withdrawQueuedJobs } from "../jobs/index.js";
import type { Clock } from "../shared/clock.js";
import { Conflict, NotFound } from "../shared/errors.js";
import { getNewsletter } from "./manage-newsletters.js";
import { newsletterSends } from "./schema.js";
import type { NewsletterSend } from "./send-article.js";

/** The newsroom lists at most this many sends of a newsletter, newest first. */
export const SENDS_LISTED = 50;

export type SendReport = NewsletterSend & {
  /** An article send's headline, or each digest article's, newest first (those still existing). */
  headlines: string[];
  /** Queued messages not yet delivered (waiting or being sent now). */
  waiting: number;
  delivered: number;
  /** Messages the mail server refused for good, or dropped because the address was suppressed by then. */
  failed: number;
  /** Members who left the newsletter after this send and before the next (their latest choice only). */
  unsubscribedAfter: number;
  isCancellable: boolean;
};

// The prefix of the queue keys of a send's messages (fan-out.ts keys each `newsletter-send:<send>:<member>`).
const messagesKey = (sendId: string) => mailJobKey(`newsletter-send:${sendId}:`);

async function reportOf(db: Queryable, send: NewsletterSend, unsubscribedAfter: number): Promise<SendReport> {
  const jobs = await countJobsByKeyPrefix(db, messagesKey(send.id));
  const waiting = jobs.queued + jobs.running;
  const ids = send.kind === "article" && send.articleId ? [send.articleId] : (send.digestArticleIds ?? []);
  const titles = await content.articleHeadlines(db, ids);
  return {
    ...send,
    headlines: ids.flatMap((id) => titles.get(id)?.title ?? []),
    waiting,
    failed: jobs.failed,
    delivered: Math.max(0, send.queued - send.withdrawn - waiting - jobs.failed),
    unsubscribedAfter,
    isCancellable: send.status === "queued" || send.status === "sending" || (send.status === "sent" && jobs.queued > 0),
  };
}

/** For each send of a newsletter: members whose latest choice, made after it and before the next, was to leave. */
async function unsubscribedAfterEach(db: Queryable, newsletterId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ id: string; n: number }>(
    db,
    sql`WITH s AS (SELECT id, created_at, lead(created_at) OVER (ORDER BY created_at) AS next_at
                     FROM newsletter_sends WHERE newsletter_id = ${newsletterId})
        SELECT s.id, (SELECT count(*)::int FROM newsletter_subscriptions ns
                       WHERE ns.newsletter_id = ${newsletterId} AND NOT ns.is_subscribed
                         AND ns.changed_at >= s.created_at AND (s.next_at IS NULL OR ns.changed_at < s.next_at)) AS n
          FROM s`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}

/** The newsletter's sends, newest first, each with its report. */
export async function listNewsletterSends(db: Queryable, newsletterId: string): Promise<SendReport[]> {
  await getNewsletter(db, newsletterId);
  const sends = await db
    .select()
    .from(newsletterSends)
    .where(eq(newsletterSends.newsletterId, newsletterId))
    .orderBy(desc(newsletterSends.createdAt))
    .limit(SENDS_LISTED);
  const byId = await unsubscribedAfterEach(db, newsletterId);
  const reports: SendReport[] = [];
  for (const send of sends) reports.push(await reportOf(db, send, byId.get(send.id) ?? 0));
  return reports;
}

/**
 * Stops a send: members not yet queued get nothing, and messages still waiting in the queue are taken back (one
 * being delivered at this moment still goes). Refused once nothing is left to stop.
 */
export async function cancelSend(
  deps: { db: Db; clock: Clock },
  input: { newsletterId: string; sendId: string; by: string },
): Promise<SendReport> {
  const cancelled = await withTransaction(deps.db, async (tx) => {
    // The fan-out's batches lock this row too: a batch either finishes before the cancel or sees it.
    const [send] = await tx
      .select()
      .from(newsletterSends)
      .where(and(eq(newsletterSends.id, input.sendId), eq(newsletterSends.newsletterId, input.newsletterId)))
      .for("update");
    if (!send) throw new NotFound("SEND_NOT_FOUND", "This newsletter has no send with that id.");
    const withdrawn = await withdrawQueuedJobs(tx, messagesKey(send.id));
    const isUnderWay = send.status === "queued" || send.status === "sending";
    if (!isUnderWay && !(send.status === "sent" && withdrawn > 0)) {
      throw new Conflict("SEND_FINISHED", `This send is ${send.status}: nothing is left to cancel.`, {
        help: "A send can be cancelled while members are still being queued or messages are waiting to go.",
      });
    }
    const [saved] = await tx
      .update(newsletterSends)
      .set({
        status: "cancelled",
        withdrawn: sql`${newsletterSends.withdrawn} + ${withdrawn}`,
        cancelledBy: input.by,
        finishedAt: deps.clock.now(),
      })
      .where(eq(newsletterSends.id, send.id))
      .returning();
    return saved as NewsletterSend;
  });
  const unsubscribed = await unsubscribedAfterEach(deps.db, input.newsletterId);
  return reportOf(deps.db, cancelled, unsubscribed.get(cancelled.id) ?? 0);
}
