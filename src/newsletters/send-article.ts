/**
 * An article sent as a newsletter: the send is recorded and its job queued in one transaction; the job fans out
 * one `mail.send` per member receiving the newsletter, in batches, each keyed by send and member, so a retry or a
 * crash part-way queues no message twice. The paywall holds: a member who may not read the gated part gets the
 * preview and the call to subscribe.
 */
import * as content from "../content/index.js";
import { type Db, withTransaction } from "../db/index.js";
import { type Brand, type Mailer, newsletterIssueEmail } from "../email/index.js";
import { enqueueJob } from "../jobs/index.js";
import { decideAccess } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { getNewsletter, type Newsletter } from "./manage-newsletters.js";
import { newsletterSends } from "./schema.js";

export const NEWSLETTER_SEND_JOB = "newsletter.send";

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

export const stripTags = (html: string) =>
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
  ctx: { newsletter: Newsletter; article: Article; sendId?: string },
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
  return {
    ...message,
    to: recipient.email,
    bulk: true,
    ...(newsletter.senderEmail ? { fromAddress: newsletter.senderEmail } : {}),
    ...(newsletter.replyTo ? { replyTo: newsletter.replyTo } : {}),
    headers: bulkHeaders(deps, { newsletter, sendId: ctx.sendId, manageUrl: recipient.manageUrl }),
  };
}

/**
 * A newsletter issue's list headers; List-Unsubscribe only for a member's own signed link, Feedback-ID only for
 * an issue of a send (not a preview or a test).
 */
export function bulkHeaders(
  deps: Pick<SendDeps, "publicUrl">,
  input: { newsletter: Newsletter; sendId: string | undefined; manageUrl: string | null },
): Record<string, string> {
  const { newsletter, manageUrl } = input;
  const host = new URL(deps.publicUrl).hostname;
  // Headers go out as written (ASCII): a name in another script is named by its slug.
  const listName = /^[\x20-\x7e]+$/.test(newsletter.name) ? newsletter.name.replace(/[<>"\\]/g, " ") : newsletter.slug;
  return {
    ...(manageUrl
      ? { "List-Unsubscribe": `<${manageUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
      : {}),
    "List-Id": `"${listName}" <${newsletter.slug}.${host}>`,
    Precedence: "bulk",
    // Gmail's feedback loop groups complaints by these fields (campaign:list:kind:sender), none with a colon.
    ...(input.sendId ? { "Feedback-ID": `${input.sendId}:${newsletter.slug}:broadsheet:${host}` } : {}),
  };
}
