/**
 * The digest round: each active daily or weekly newsletter whose hour has come gets its digest for that period,
 * made once. The send row (unique per newsletter and period) and its job are written in one transaction, so any
 * number of processes running the round, as often as they like, make one digest per period and queue it once.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import * as content from "../content/index.js";
import { type Db, withTransaction } from "../db/index.js";
import { enqueueJob } from "../jobs/index.js";
import type { Clock } from "../shared/clock.js";
import { DIGEST_MAX_ARTICLES } from "./digest-issue.js";
import { latestDigestDue } from "./digest-schedule.js";
import type { NewsletterRow } from "./manage-newsletters.js";
import { newsletterSends, newsletters } from "./schema.js";
import { NEWSLETTER_SEND_JOB, type NewsletterSend } from "./send-article.js";

const HOUR_MS = 3_600_000;
/** A digest whose hour passed longer ago than this while no process ran is left out; the next one goes. */
export const DIGEST_LATE_LIMIT_MS = 6 * HOUR_MS;
/** The first digest of a newsletter looks back this far. */
const FIRST_LOOK_BACK_MS = { daily: 24 * HOUR_MS, weekly: 7 * 24 * HOUR_MS } as const;

export type DigestDeps = { db: Db; clock: Clock };

/** Makes every digest due now and not yet made; the sends made (`empty` ones included). */
export async function queueDueDigests(deps: DigestDeps): Promise<NewsletterSend[]> {
  const now = deps.clock.now();
  const { timeZone } = await content.getSettings(deps.db);
  const timed = await deps.db
    .select()
    .from(newsletters)
    .where(and(eq(newsletters.status, "active"), inArray(newsletters.cadence, ["daily", "weekly"])));
  const made: NewsletterSend[] = [];
  for (const newsletter of timed) {
    const due = latestDigestDue(newsletter, now, timeZone);
    // Not for an hour before the newsletter existed, nor one missed long ago.
    if (!due || due.dueAt < newsletter.createdAt || now.getTime() - due.dueAt.getTime() > DIGEST_LATE_LIMIT_MS) {
      continue;
    }
    const send = await makeDigest(deps, { newsletter, period: due.period, now });
    if (send) made.push(send);
  }
  return made;
}

async function makeDigest(
  deps: DigestDeps,
  input: { newsletter: NewsletterRow; period: string; now: Date },
): Promise<NewsletterSend | undefined> {
  const { newsletter, period, now } = input;
  return withTransaction(deps.db, async (tx) => {
    const [made] = await tx
      .select({ id: newsletterSends.id })
      .from(newsletterSends)
      .where(and(eq(newsletterSends.newsletterId, newsletter.id), eq(newsletterSends.period, period)));
    if (made) return undefined;
    const [last] = await tx
      .select({ coversTo: newsletterSends.coversTo })
      .from(newsletterSends)
      .where(and(eq(newsletterSends.newsletterId, newsletter.id), eq(newsletterSends.kind, "digest")))
      .orderBy(desc(newsletterSends.coversTo))
      .limit(1);
    const lookBack = FIRST_LOOK_BACK_MS[newsletter.cadence === "weekly" ? "weekly" : "daily"];
    const coversFrom = last?.coversTo ?? new Date(now.getTime() - lookBack);
    // Newest first, from its sections if it names any; fetched with room to spare, then kept to (from, now].
    const recent = await content.listArticlesPublishedSince(tx, {
      since: coversFrom,
      limit: DIGEST_MAX_ARTICLES * 2,
      sectionIds: newsletter.sectionIds,
    });
    const articleIds = recent
      .filter((a) => a.publishedAt > coversFrom && a.publishedAt <= now)
      .slice(0, DIGEST_MAX_ARTICLES)
      .map((a) => a.id);
    const isEmpty = articleIds.length === 0;
    const [send] = await tx
      .insert(newsletterSends)
      .values({
        newsletterId: newsletter.id,
        kind: "digest",
        period,
        digestArticleIds: articleIds,
        coversFrom,
        coversTo: now,
        // Nothing to send: recorded as such, so the period is not tried again.
        status: isEmpty ? "empty" : "queued",
        createdAt: now,
        finishedAt: isEmpty ? now : null,
      })
      .onConflictDoNothing()
      .returning();
    if (!send) return undefined;
    if (!isEmpty) {
      await enqueueJob(tx, {
        kind: NEWSLETTER_SEND_JOB,
        payload: { sendId: send.id },
        key: `newsletter-send:${send.id}`,
      });
    }
    return send;
  });
}
