/**
 * The NEWSLETTER_SEND_JOB handler: one send (an article or a digest) fanned out to every member receiving the
 * newsletter, in batches of members by id, each batch one transaction queuing one `mail.send` per member keyed by
 * send and member, so a retry or a crash part-way queues no message twice. The issue is rendered once per
 * reader class a batch, stored once as the batch's shared body, and filled in with each member's own link.
 */
import { eq, sql } from "drizzle-orm";
import * as content from "../content/index.js";
import { withTransaction } from "../db/index.js";
import {
  type Brand,
  normaliseAddress,
  type OutgoingEmail,
  type SharedRecipient,
  suppressedAmong,
} from "../email/index.js";
import { type JobContext, PermanentJobError } from "../jobs/index.js";
import * as members from "../members/index.js";
import { listSubscribedMemberIds } from "./choices.js";
import { digestFor } from "./digest-issue.js";
import { getNewsletter, type Newsletter } from "./manage-newsletters.js";
import { newsletterSendSkips, newsletterSends } from "./schema.js";
import { type Article, issueFor, type NewsletterSend, type Recipient, type SendDeps } from "./send-article.js";
import { signLink } from "./signed-links.js";

const BATCH = 200;

/** What one member's message says, given the newsletter as it is now. */
type Compose = (newsletter: Newsletter, recipient: Recipient) => OutgoingEmail;

/** Stands for a member's own link in an issue rendered for a reader class; no real link contains it. */
const MANAGE_URL_SLOT = "https://member-link.invalid/slot";

/**
 * A batch's messages by reader class: each class's issue rendered once (the paywall decides by class alone) with
 * a stand-in for the member's link, which the mailer fills for each recipient from one stored body.
 */
function issuesByClass(compose: Compose, newsletter: Newsletter) {
  const classes = new Map<boolean, { issue: OutgoingEmail; recipients: SharedRecipient[] }>();
  return {
    add(recipient: Recipient, key: string) {
      let group = classes.get(recipient.isSubscriber);
      if (!group) {
        const { isSubscriber } = recipient;
        const issue = compose(newsletter, { email: "", isSubscriber, manageUrl: MANAGE_URL_SLOT });
        group = { issue, recipients: [] };
        classes.set(isSubscriber, group);
      }
      group.recipients.push({ to: recipient.email, key, fill: recipient.manageUrl ?? "" });
    },
    groups: () => [...classes.values()],
  };
}

/** A member as a recipient: their entitlement today and their signed link (one click, no signing in). */
function memberRecipient(deps: SendDeps, newsletter: Newsletter, member: members.Member): Recipient {
  const token = signLink(deps.sessionSecret, { kind: "manage", memberId: member.id, newsletterId: newsletter.id });
  return {
    email: member.email,
    isSubscriber: members.entitlementOf(member, deps.clock.now()).entitlement !== "registered",
    manageUrl: `${deps.publicUrl}/newsletters/unsubscribe?token=${token}`,
  };
}

function parsePayload(payload: unknown): { sendId: string } {
  const sendId = (payload as { sendId?: unknown } | null)?.sendId;
  if (typeof sendId !== "string") throw new PermanentJobError("a newsletter send names no send");
  return { sendId };
}

/** The send's message maker, or undefined when a digest has nothing left to carry. */
async function composerFor(deps: SendDeps, send: NewsletterSend, brand: Brand): Promise<Compose | undefined> {
  if (send.kind === "article") {
    const article = send.articleId ? await content.findArticleForPreview(deps.db, send.articleId) : undefined;
    if (article?.status !== "published") {
      throw new PermanentJobError("the article is no longer published: nothing more is sent");
    }
    return (newsletter, recipient) => issueFor(deps, brand, { newsletter, article, sendId: send.id }, recipient);
  }
  const articles: Article[] = [];
  for (const id of send.digestArticleIds ?? []) {
    const article = await content.findArticleForPreview(deps.db, id);
    // One unpublished since the digest was made is left out of it.
    if (article?.status === "published") articles.push(article);
  }
  if (articles.length === 0) return undefined;
  const period = send.period ?? "";
  return (newsletter, recipient) =>
    digestFor(deps, brand, { newsletter, sendId: send.id, period, articles }, recipient);
}

const finish = (deps: SendDeps, sendId: string, status: "sent" | "empty") =>
  deps.db
    .update(newsletterSends)
    .set({ status, finishedAt: deps.clock.now() })
    .where(sql`${newsletterSends.id} = ${sendId} AND ${newsletterSends.status} IN ('queued','sending')`);

/** The NEWSLETTER_SEND_JOB handler. Safe to run again: every message is keyed by send and member. */
export function newsletterSendHandler(deps: SendDeps) {
  return async (payload: unknown, ctx: Pick<JobContext, "signal">): Promise<void> => {
    const { sendId } = parsePayload(payload);
    const [send] = await deps.db.select().from(newsletterSends).where(eq(newsletterSends.id, sendId));
    if (!send || (send.status !== "queued" && send.status !== "sending")) return;
    const compose = await composerFor(deps, send, await deps.brand());
    if (!compose) {
      await finish(deps, sendId, "empty");
      return;
    }
    await deps.db
      .update(newsletterSends)
      .set({ status: "sending" })
      .where(sql`${newsletterSends.id} = ${sendId} AND ${newsletterSends.status} = 'queued'`);
    let after: string | undefined;
    for (;;) {
      // Read per batch: an archived newsletter or a cancelled send sends nothing more.
      const newsletter = await getNewsletter(deps.db, send.newsletterId);
      if (newsletter.status !== "active") break;
      const ids = await listSubscribedMemberIds(deps.db, { newsletterId: newsletter.id, after, limit: BATCH });
      if (ids.length === 0) break;
      const isQueued = await queueBatch(deps, { send, newsletter, compose, ids });
      if (!isQueued) return;
      after = ids.at(-1);
      if (ctx.signal.aborted) throw new Error("stopped part-way; the next attempt carries on");
    }
    await finish(deps, sendId, "sent");
  };
}

/** Queues one batch; false (nothing queued) when the send was cancelled meanwhile. */
async function queueBatch(
  deps: SendDeps,
  input: { send: NewsletterSend; newsletter: Newsletter; compose: Compose; ids: string[] },
): Promise<boolean> {
  const { send, newsletter } = input;
  return withTransaction(deps.db, async (tx) => {
    // Locks the send's row: a cancel waits for this batch, or this batch sees the cancel.
    const [current] = await tx
      .select({ status: newsletterSends.status })
      .from(newsletterSends)
      .where(eq(newsletterSends.id, send.id))
      .for("update");
    if (current?.status !== "sending") return false;
    const batch = await members.findMembersByIds(tx, input.ids);
    const skip = await suppressedAmong(
      tx,
      batch.map((m) => m.email),
    );
    const issues = issuesByClass(input.compose, newsletter);
    let suppressed = 0;
    for (const member of batch) {
      const recipient = memberRecipient(deps, newsletter, member);
      if (newsletter.visibility === "paid" && !recipient.isSubscriber) continue;
      // A suppressed address is recorded and counted once per send (a rerun finds its row), never queued.
      if (skip.has(normaliseAddress(member.email))) {
        const skipped = await tx
          .insert(newsletterSendSkips)
          .values({ sendId: send.id, memberId: member.id, reason: "suppressed" })
          .onConflictDoNothing()
          .returning({ memberId: newsletterSendSkips.memberId });
        suppressed += skipped.length;
        continue;
      }
      issues.add(recipient, `newsletter-send:${send.id}:${member.id}`);
    }
    let queued = 0;
    for (const { issue, recipients } of issues.groups()) {
      queued += await deps.mailer.sendToMany(issue, recipients, { db: tx, slot: MANAGE_URL_SLOT });
    }
    await tx
      .update(newsletterSends)
      .set({
        queued: sql`${newsletterSends.queued} + ${queued}`,
        suppressed: sql`${newsletterSends.suppressed} + ${suppressed}`,
      })
      .where(eq(newsletterSends.id, send.id));
    return true;
  });
}
