/**
 * What the newsroom sees before it sends: the issue as a free reader or a subscriber would get it, a test sent only
 * to the staff member asking, and the sends an article has had.
 */
import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import * as content from "../content/index.js";
import type { Db, Queryable } from "../db/index.js";
import type { Brand, Mailer } from "../email/index.js";
import type { Clock } from "../shared/clock.js";
import { NotFound } from "../shared/errors.js";
import { getNewsletter } from "./manage-newsletters.js";
import { newsletterSends } from "./schema.js";
import { type Article, issueFor, type NewsletterSend } from "./send-article.js";

/** The two classes of reader whose email differs: the paywall's preview, or the whole article. */
export const READER_CLASSES = ["free", "subscriber"] as const;
export type ReaderClass = (typeof READER_CLASSES)[number];

export type PreviewDeps = { db: Db; clock: Clock; publicUrl: string };

/** The subject prefix of a test send: the message is never mistaken for the issue itself. */
export const TEST_SUBJECT_PREFIX = "[Test] ";

async function issueOf(
  deps: PreviewDeps,
  input: { newsletterId: string; articleId: string; reader: ReaderClass; to: string },
) {
  const newsletter = await getNewsletter(deps.db, input.newsletterId);
  const article: Article | undefined = await content.findArticleForPreview(deps.db, input.articleId);
  if (!article) throw new NotFound("ARTICLE_NOT_FOUND", "There is no such article.");
  const settings = await content.getSettings(deps.db);
  const brand: Brand = {
    title: settings.title,
    accentColor: settings.accentColor,
    language: settings.language,
    publicUrl: deps.publicUrl,
  };
  return issueFor(
    deps,
    brand,
    { newsletter, article },
    { email: input.to, isSubscriber: input.reader === "subscriber", manageUrl: null },
  );
}

/** The issue's HTML and text as a reader of that class would get it (drafts too: a preview sends nothing). */
export async function previewIssue(
  deps: PreviewDeps,
  input: { newsletterId: string; articleId: string; reader: ReaderClass },
): Promise<{ subject: string; html: string; text: string }> {
  const issue = await issueOf(deps, { ...input, to: "reader@example.invalid" });
  return { subject: issue.subject, html: issue.html, text: issue.text };
}

/** Queues the issue to one staff address only, its subject marked as a test. Nothing is recorded as a send. */
export async function sendTestIssue(
  deps: PreviewDeps & { mailer: Mailer },
  input: { newsletterId: string; articleId: string; reader: ReaderClass; to: string },
): Promise<{ subject: string; to: string }> {
  const issue = await issueOf(deps, input);
  const subject = `${TEST_SUBJECT_PREFIX}${issue.subject}`;
  await deps.mailer.send({ ...issue, subject }, { db: deps.db, key: `newsletter-test:${randomUUID()}` });
  return { subject, to: input.to };
}

/** The sends of one article, newest first. */
export async function listArticleSends(db: Queryable, articleId: string): Promise<NewsletterSend[]> {
  return db
    .select()
    .from(newsletterSends)
    .where(eq(newsletterSends.articleId, articleId))
    .orderBy(desc(newsletterSends.createdAt));
}
