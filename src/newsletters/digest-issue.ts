/**
 * A digest as one reader gets it: each article's headline, dek, link and opening paragraph, the opening taken only
 * from the part of the article the paywall lets that reader read (the free preview otherwise), so no gated word
 * reaches a reader without access.
 */
import { type Brand, newsletterIssueEmail } from "../email/index.js";
import { decideAccess } from "../paywall/index.js";
import { escapeHtml } from "../shared/html.js";
import type { Newsletter } from "./manage-newsletters.js";
import { type Article, bulkHeaders, type Recipient, stripTags } from "./send-article.js";

/** At most this many articles in one digest, newest first. */
export const DIGEST_MAX_ARTICLES = 12;
const OPENING_MAX_CHARS = 300;

/** The first paragraph of HTML as plain text, cut at a word near OPENING_MAX_CHARS. */
function openingOf(html: string): string {
  const first = html.match(/<p[^>]*>([\s\S]*?)<\/p>/)?.[1] ?? "";
  const text = stripTags(first).replace(/\s+/g, " ").trim();
  if (text.length <= OPENING_MAX_CHARS) return text;
  const cut = text.slice(0, OPENING_MAX_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), OPENING_MAX_CHARS / 2))}…`;
}

type DigestItem = { title: string; dek: string; url: string; opening: string; isForSubscribers: boolean };

function itemFor(publicUrl: string, article: Article, recipient: Recipient): DigestItem {
  const decision = decideAccess({ kind: "member", isSubscriber: recipient.isSubscriber }, article);
  const isFull = decision.kind === "full";
  // The gated HTML is read only for a reader the paywall lets read it.
  const readable = isFull ? article.previewHtml + article.gatedHtml : article.previewHtml;
  return {
    title: article.title,
    dek: article.dek,
    url: `${publicUrl}${article.path}`,
    opening: openingOf(readable),
    isForSubscribers: !isFull,
  };
}

const H2 = "margin:24px 0 4px;font-size:20px;line-height:1.3;font-family:Georgia,serif";
const DEK = "margin:0 0 8px;color:#4a4740;font-size:16px;line-height:1.5";
const OPENING = "margin:0 0 8px;font-size:16px;line-height:1.6";
const NOTE = "margin:0 0 8px;color:#6b675e;font-size:13px";

function bodyOf(items: DigestItem[]): { html: string; text: string } {
  const html = items
    .map((item) =>
      [
        `<h2 style="${H2}"><a href="${escapeHtml(item.url)}" style="color:inherit">${escapeHtml(item.title)}</a></h2>`,
        item.dek ? `<p style="${DEK}">${escapeHtml(item.dek)}</p>` : "",
        item.opening ? `<p style="${OPENING}">${escapeHtml(item.opening)}</p>` : "",
        item.isForSubscribers ? `<p style="${NOTE}">For subscribers</p>` : "",
      ].join(""),
    )
    .join("\n");
  const text = items
    .map((item) =>
      [item.title, item.dek, item.opening, item.isForSubscribers ? "For subscribers" : "", item.url]
        .filter(Boolean)
        .join("\n"),
    )
    .join("\n\n");
  return { html, text };
}

/** "Morning Briefing, 6 May 2031": the period's day in the site's language. */
export function digestTitle(newsletter: Pick<Newsletter, "name">, period: string, language: string): string {
  let day: string;
  try {
    day = new Intl.DateTimeFormat(language, { timeZone: "UTC", dateStyle: "long" }).format(
      new Date(`${period}T00:00:00Z`),
    );
  } catch {
    day = period;
  }
  return `${newsletter.name}, ${day}`;
}

export function digestFor(
  deps: { publicUrl: string },
  brand: Brand,
  ctx: { newsletter: Newsletter; sendId: string; period: string; articles: Article[] },
  recipient: Recipient,
) {
  const { newsletter } = ctx;
  const items = ctx.articles.map((a) => itemFor(deps.publicUrl, a, recipient));
  const hasGated = items.some((i) => i.isForSubscribers);
  const manageUrl = recipient.manageUrl ?? `${deps.publicUrl}/newsletters/${newsletter.slug}`;
  const message = newsletterIssueEmail(brand, {
    newsletterName: newsletter.name,
    senderName: newsletter.senderName,
    article: {
      title: digestTitle(newsletter, ctx.period, brand.language),
      dek: items.length === 1 ? "One article since the last issue." : `${items.length} articles since the last issue.`,
      url: `${deps.publicUrl}/`,
    },
    body: bodyOf(items),
    ask: hasGated
      ? { text: "Some of these articles are for subscribers.", label: "Subscribe", url: `${deps.publicUrl}/subscribe` }
      : undefined,
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
