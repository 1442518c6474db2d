/**
 * An article sent as a newsletter: the send is recorded and its job queued in one transaction; the job fans out
 * one `mail.send` per member receiving the newsletter, in batches, each keyed by send and member, so a retry or a
 * crash part-way queues no message twice. The paywall holds: a member who may not read the gated part gets the
 * preview and the call to subscribe.
 */
import { eq, sql } from "drizzle-orm";
import * as content from "../content/index.js";
import { type Db, withTransaction } from "../db/index.js";
import { type Brand, type Mailer, newsletterIssueEmail, normaliseAddress, suppressedAmong } from "../email/index.js";
import { enqueueJob, type JobContext, PermanentJobError } from "../jobs/index.js";
import * as members from "../members/index.js";
import { decideAccess } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { listSubscribedMemberIds } from "./choices.js";
import { getNewsletter, type Newsletter } from "./manage-newsletters.js";
import { newsletterSendSkips, newsletterSends } from "./schema.js";
import { signLink } from "./signed-links.js";

export const NEWSLETTER_SEND_JOB = "newsletter.send";
const BATCH = 200;

export type NewsletterSend = typeof newsletterSends.$inferSelect;

export async function sendArticle(
  deps: { db: Db; clock: Clock },
  input: { newsletterId: string; articleId: string; by: string },
): Promise<NewsletterSend> {
  return withTransaction(deps.db, async (tx) => {
    const newsletter = await getNewsletter(tx, input.newsletterId);
    if (newsletter.status !== "active") {
      throw new Conflict("NEWSLETTER_ARCHIVED", `"${newsletter.name}" is archived: restore it to send.`);
    }
    const article = await content.findArticleForPreview(tx, input.articleId);
    if (article?.status !== "published") {
      throw new Invalid("ARTICLE_NOT_PUBLISHED", "Only a published article can be sent.", { property: "articleId" });
    }
    const [send] = await tx
      .insert(newsletterSends)
      .values({ ...input, sentBy: input.by, status: "queued", createdAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning();
    if (!send) {
      throw new Conflict("ALREADY_SENT", `"${article.title}" was already sent as ${newsletter.name}.`, {
        property: "articleId",
      });
    }
    await enqueueJob(tx, {
      kind: NEWSLETTER_SEND_JOB,
      payload: { sendId: send.id },
      key: `newsletter-send:${send.id}`,
    });
    return send;
  });
}

export type SendDeps = {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  sessionSecret: string;
  publicUrl: string;
  brand(): Promise<Brand>;
};

export type Article = NonNullable<Awaited<ReturnType<typeof content.findArticleForPreview>>>;

const stripTags = (html: string) =>
  html
    .replace(/<\/(p|h\d|li|blockquote|figure)>/g, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

/** Who a message is for: their address, whether the paywall lets them read the whole article, their own link. */
export type Recipient = { email: string; isSubscriber: boolean; manageUrl: string | null };

/** The message one reader gets: the whole article only when the paywall says they may read it. */
export function issueFor(
  deps: Pick<SendDeps, "publicUrl">,
  brand: Brand,
  ctx: { newsletter: Newsletter; article: Article },
  recipient: Recipient,
) {
  const { newsletter, article } = ctx;
  const decision = decideAccess({ kind: "member", isSubscriber: recipient.isSubscriber }, article);
  const isFull = decision.kind === "full";
  // The gated HTML is read only for a reader the paywall lets read it.
  const html = isFull ? article.previewHtml + article.gatedHtml : article.previewHtml;
  const articleUrl = `${deps.publicUrl}${article.path}`;
  // Without a reader of its own (a preview, a test), the links lead to the newsletter's page.
  const manageUrl = recipient.manageUrl ?? `${deps.publicUrl}/newsletters/${newsletter.slug}`;
  const message = newsletterIssueEmail(brand, {
    newsletterName: newsletter.name,
    senderName: newsletter.senderName,
    article: { title: article.title, dek: article.dek, url: articleUrl },
    body: { html, text: stripTags(html) },
    ask: isFull
      ? undefined
      : {
          text: "The rest of this article is for subscribers.",
          label: "Subscribe to read on",
          url: `${deps.publicUrl}/subscribe?next=${encodeURIComponent(article.path)}`,
        },
    unsubscribeUrl: manageUrl,
    preferencesUrl: manageUrl,
  });
  const host = new URL(deps.publicUrl).hostname;
  // Headers go out as written (ASCII): a name in another script is named by its slug.
  const listName = /^[\x20-\x7e]+$/.test(newsletter.name) ? newsletter.name.replace(/[<>"\\]/g, " ") : newsletter.slug;
  return {
    ...message,
    to: recipient.email,
    bulk: true,
    ...(newsletter.senderEmail ? { fromAddress: newsletter.senderEmail } : {}),
    ...(newsletter.replyTo ? { replyTo: newsletter.replyTo } : {}),
    headers: {
      ...(recipient.manageUrl
        ? { "List-Unsubscribe": `<${manageUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
        : {}),
      "List-Id": `"${listName}" <${newsletter.slug}.${host}>`,
      Precedence: "bulk",
    },
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

/** The NEWSLETTER_SEND_JOB handler. Safe to run again: every message is keyed by send and member. */
export function newsletterSendHandler(deps: SendDeps) {
  return async (payload: unknown, ctx: Pick<JobContext, "signal">): Promise<void> => {
    const { sendId } = parsePayload(payload);
    const [send] = await deps.db.select().from(newsletterSends).where(eq(newsletterSends.id, sendId));
    if (!send || send.status === "sent") return;
    const article = await content.findArticleForPreview(deps.db, send.articleId);
    if (article?.status !== "published") {
      throw new PermanentJobError("the article is no longer published: nothing more is sent");
    }
    await deps.db.update(newsletterSends).set({ status: "sending" }).where(eq(newsletterSends.id, sendId));
    const brand = await deps.brand();
    let after: string | undefined;
    for (;;) {
      // Read per batch: an archived newsletter sends nothing more.
      const newsletter = await getNewsletter(deps.db, send.newsletterId);
      if (newsletter.status !== "active") break;
      const ids = await listSubscribedMemberIds(deps.db, { newsletterId: newsletter.id, after, limit: BATCH });
      if (ids.length === 0) break;
      await queueBatch(deps, { send, newsletter, article, brand, ids });
      after = ids.at(-1);
      if (ctx.signal.aborted) throw new Error("stopped part-way; the next attempt carries on");
    }
    await deps.db
      .update(newsletterSends)
      .set({ status: "sent", finishedAt: deps.clock.now() })
      .where(eq(newsletterSends.id, sendId));
  };
}

async function queueBatch(
  deps: SendDeps,
  input: { send: NewsletterSend; newsletter: Newsletter; article: Article; brand: Brand; ids: string[] },
): Promise<void> {
  const { send, newsletter } = input;
  await withTransaction(deps.db, async (tx) => {
    let queued = 0;
    let suppressed = 0;
    const batch: members.Member[] = [];
    for (const id of input.ids) {
      const member = await members.findMemberById(tx, id);
      if (member) batch.push(member);
    }
    const skip = await suppressedAmong(
      tx,
      batch.map((m) => m.email),
    );
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
      const email = issueFor(deps, input.brand, { newsletter, article: input.article }, recipient);
      if (await deps.mailer.send(email, { db: tx, key: `newsletter-send:${send.id}:${member.id}` })) queued++;
    }
    await tx
      .update(newsletterSends)
      .set({
        queued: sql`${newsletterSends.queued} + ${queued}`,
        suppressed: sql`${newsletterSends.suppressed} + ${suppressed}`,
      })
      .where(eq(newsletterSends.id, send.id));
  });
}
