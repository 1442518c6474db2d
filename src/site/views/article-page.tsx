import type {
  ArticleForReading,
  ArticleStatus,
  ArticleSummary,
  CorrectionNote,
  ImageRef,
  SiteSettings,
} from "../../content/index.js";
import { SHARE_CROPS, shareImageOf } from "../../distribution/index.js";
import type { AccessOutcome } from "../../paywall/index.js";
import { formatDateTime, formatDay, KIND_LABELS } from "./format.js";
import type { PageMeta, SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { MostReadSlot } from "./most-read.js";
import { AuthorFace, AuthorFollow, Authors, Picture, ShareLinks, Teaser } from "./parts.js";
import { paywallPriceOf, type SubscriptionPrices } from "./price-terms.js";

const SHARE_CARD = SHARE_CROPS.find((crop) => crop.name === "card")!;

/** The article without its gated part: views never see text the reader may not read. */
export type ArticleView = Omit<ArticleForReading, "gatedHtml" | "previewHtml">;

type ArticlePageProps = {
  frame: SiteFrame;
  article: ArticleView;
  /** Already chosen by the paywall: the whole body, or the preview only. */
  bodyHtml: string;
  access: AccessOutcome;
  description: string;
  jsonLd: object[];
  /** A signed preview link's page: who it shows the article as, and until when the link works. */
  preview?: { audience: "anonymous" | "subscriber"; status: ArticleStatus; expiresAt: Date };
};

export function ArticlePage(props: ArticlePageProps) {
  const { frame, article } = props;
  const { settings } = frame;
  return (
    <Layout
      frame={frame}
      current={`section:${article.section.slug}`}
      notice={props.preview && <PreviewNotice {...props.preview} settings={settings} />}
      meta={articlePageMeta(props)}
    >
      <article class={`article article-${article.kind}`}>
        <ArticleHeader article={article} settings={settings} />
        {article.image && <LeadPicture image={article.image} />}
        <ArticleBody frame={frame} article={article} bodyHtml={props.bodyHtml} access={props.access} />
        {frame.signUp && !props.preview && <NewsletterSignUp newsletter={frame.signUp} />}
        {article.corrections.length > 0 && <Corrections corrections={article.corrections} settings={settings} />}
        <ArticleFooter article={article} frame={frame} />
      </article>
      {article.related.length > 0 && <RelatedArticles related={article.related} frame={frame} />}
      {!props.preview && <MostReadSlot articleId={article.id} />}
    </Layout>
  );
}

/** The head's title, description, share card and article metadata; a preview link's page is never indexed. */
function articlePageMeta(props: ArticlePageProps): PageMeta {
  const { frame, article } = props;
  return {
    noindex: Boolean(props.preview),
    title: article.seo.metaTitle ?? article.title,
    description: props.description,
    path: article.path,
    canonicalUrl: article.seo.canonicalUrl ?? undefined,
    ogType: "article",
    image: article.seo.socialImageUrl
      ? { url: article.seo.socialImageUrl, alt: article.title }
      : article.image
        ? // The picture cut to the 1200×630 card as a JPEG: every platform shows it, not all show WebP.
          { ...shareImageOf(article, frame.settings, SHARE_CARD), alt: article.image.alt }
        : {
            url: `/share/${article.slug}.png`,
            alt: article.title,
            width: SHARE_CARD.width,
            height: SHARE_CARD.height,
            contentType: "image/png",
          },
    jsonLd: props.jsonLd,
    articleMeta: {
      publishedTime: article.publishedAt.toISOString(),
      modifiedTime: article.updatedAt.toISOString(),
      section: article.section.name,
      tags: article.tags.map((t) => t.name),
    },
  };
}

/** Kicker, headline, dek, byline, source and dateline. */
function ArticleHeader(props: { article: ArticleView; settings: SiteSettings }) {
  const { article, settings } = props;
  const updated = article.updatedAt.getTime() - article.publishedAt.getTime() > 5 * 60_000;
  return (
    <header class="article-header wrap-narrow">
      <p class="article-kicker">
        <a href={`/section/${article.section.slug}`}>{article.section.name}</a>
        {article.kind !== "news" && <span class={`kind-label kind-${article.kind}`}>{KIND_LABELS[article.kind]}</span>}
      </p>
      <h1 class="article-title">{article.title}</h1>
      {article.dek && <p class="article-dek">{article.dek}</p>}
      <div class="article-meta">
        <p class="byline">
          By <Authors authors={article.authors} />
        </p>
        {article.source && (
          <p class="article-source">
            Source:{" "}
            {article.source.url ? (
              <a href={article.source.url} rel="nofollow noopener">
                {article.source.name}
              </a>
            ) : (
              article.source.name
            )}
          </p>
        )}
        <p class="dateline">
          <span>
            Published{" "}
            <time datetime={article.publishedAt.toISOString()}>
              {formatDateTime(article.publishedAt, settings.language, settings.timeZone)}
            </time>
          </span>
          {updated && (
            <span>
              {" · "}Updated{" "}
              <time datetime={article.updatedAt.toISOString()}>
                {formatDateTime(article.updatedAt, settings.language, settings.timeZone)}
              </time>
            </span>
          )}
          <span>
            {" · "}
            {article.readingMinutes} min read
          </span>
        </p>
      </div>
    </header>
  );
}

function LeadPicture({ image }: { image: ImageRef }) {
  return (
    <figure class="article-figure wrap-wide">
      <Picture image={image} eager sizes="(min-width: 72rem) 1100px, 100vw" />
      {(image.caption || image.credit) && (
        <figcaption>
          {image.caption}
          {image.credit && <span class="credit"> {image.credit}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/** The text the paywall chose, with the meter's count above it or the wall below it. */
function ArticleBody(props: Pick<ArticlePageProps, "frame" | "article" | "bodyHtml" | "access">) {
  const { frame, article, access } = props;
  return (
    <div class="article-body wrap-narrow">
      {access.kind === "full" && access.meter && (
        <MeterBanner remaining={access.meter.remaining} allowance={access.meter.allowance} />
      )}
      <div class="prose" dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
      {access.kind === "preview" && (
        <Paywall
          articleId={article.id}
          access={access}
          settings={frame.settings}
          prices={frame.prices}
          path={article.path}
          signedIn={frame.readerClass !== "anon"}
        />
      )}
    </div>
  );
}

function Corrections(props: { corrections: CorrectionNote[]; settings: SiteSettings }) {
  const { settings } = props;
  return (
    <section class="article-corrections wrap-narrow" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">Corrections and updates</h2>
      <ul>
        {props.corrections.map((c) => (
          <li>
            <strong>{c.kind === "correction" ? "Correction" : "Update"}</strong>,{" "}
            <time datetime={c.createdAt.toISOString()}>
              {formatDateTime(c.createdAt, settings.language, settings.timeZone)}
            </time>
            : {c.note}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Topics, share links and a box for each author. */
function ArticleFooter(props: { article: ArticleView; frame: SiteFrame }) {
  const { article, frame } = props;
  return (
    <footer class="article-footer wrap-narrow">
      {article.tags.length > 0 && (
        <nav aria-label="Topics">
          <ul class="tag-list">
            {article.tags.map((t) => (
              <li>
                <a href={`/tag/${t.slug}`}>{t.name}</a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <ShareLinks url={`${frame.publicUrl}${article.path}`} title={article.title} xHandle={frame.settings.xHandle} />
      <section class="author-boxes" aria-label="About the authors">
        {article.authors.map((a) => (
          <div class="author-box">
            <AuthorFace author={a} size={64} />
            <div>
              <p class="author-box-name">
                <a href={`/author/${a.slug}`}>{a.name}</a>
              </p>
              {a.bio && <p class="author-box-bio">{a.bio}</p>}
              <AuthorFollow author={a} />
            </div>
          </div>
        ))}
      </section>
    </footer>
  );
}

function RelatedArticles(props: { related: ArticleSummary[]; frame: SiteFrame }) {
  const { frame } = props;
  return (
    <section class="related wrap" aria-labelledby="related-heading">
      <h2 id="related-heading" class="rail-heading">
        More on this
      </h2>
      <div class="related-items">
        {props.related.map((a) => (
          <Teaser article={a} variant="standard" settings={frame.settings} now={frame.now} headingLevel={3} />
        ))}
      </div>
    </section>
  );
}

const AUDIENCE_LABELS = { anonymous: "a reader without an account", subscriber: "a subscriber" } as const;

function PreviewNotice(props: {
  audience: "anonymous" | "subscriber";
  status: ArticleStatus;
  expiresAt: Date;
  settings: SiteSettings;
}) {
  const { settings } = props;
  return (
    <>
      <strong>Preview</strong> as {AUDIENCE_LABELS[props.audience]}
      {props.status !== "published" && ` · not published (${props.status.replace("_", " ")})`} · link works until{" "}
      <time datetime={props.expiresAt.toISOString()}>
        {formatDateTime(props.expiresAt, settings.language, settings.timeZone)}
      </time>
    </>
  );
}

function MeterBanner(props: { remaining: number; allowance: number }) {
  const left =
    props.remaining === 0
      ? "This is your last free article this month."
      : `You have ${props.remaining} free ${props.remaining === 1 ? "article" : "articles"} left this month.`;
  return (
    <aside class="meter-banner" aria-label="Free articles">
      <p>
        {left} <a href="/subscribe">Subscribe</a> for unlimited access.
      </p>
    </aside>
  );
}

type Wall = Extract<AccessOutcome, { kind: "preview" }>;

/** The call to action that fits: register, subscribe, or the used-up meter with the date it renews. */
function Paywall(props: {
  articleId: string;
  access: Wall;
  settings: SiteSettings;
  prices: SubscriptionPrices | null;
  path: string;
  signedIn: boolean;
}) {
  const { access, settings } = props;
  const signIn = `/signin?next=${encodeURIComponent(props.path)}`;
  const subscribe = `/subscribe?from=${props.articleId}&next=${encodeURIComponent(props.path)}`;
  const texts = settings.paywallTexts;
  const exhausted = access.exhausted;
  const asksToRegister = access.ask === "register";
  const heading = exhausted
    ? `You have read your ${exhausted.allowance} free ${exhausted.allowance === 1 ? "article" : "articles"} this month`
    : asksToRegister
      ? "Register to keep reading"
      : "This article is for subscribers";
  const body = exhausted
    ? (texts.exhausted ??
      `They renew on ${formatDay(exhausted.renewsOn, settings.language)}. ${
        asksToRegister
          ? "A free account lets you read on now."
          : "Subscribe for unlimited access to all our news and analysis."
      }`)
    : asksToRegister
      ? (texts.register ??
        "This article is free for registered readers. Creating an account takes an email address and a minute.")
      : (texts.subscribe ??
        `Subscribe to ${settings.title} for full access to all our news and analysis, and support independent journalism.`);
  // Without Stripe nothing can be bought, so no price is named (prices is null).
  const price = !asksToRegister && props.prices ? paywallPriceOf(props.prices, settings.language) : undefined;
  // A used-up anonymous meter at a paid article: a free account comes with its own, larger allowance.
  const offersAccount = exhausted && !asksToRegister && !props.signedIn && settings.registeredAllowance > 0;
  return (
    <section class="paywall" aria-labelledby="paywall-heading">
      <h2 id="paywall-heading">{heading}</h2>
      <p>{body}</p>
      {price && <p class="paywall-price">{price}</p>}
      {offersAccount && (
        <p>
          Or <a href={signIn}>create a free account</a> to read {settings.registeredAllowance} articles a month free.
        </p>
      )}
      <p class="paywall-actions">
        {/* `from` credits the article with the subscription it sells (the paywall report); `next` brings the
            reader back to it after paying. Both are the article's own, never the reader's: the page is shared. */}
        <a class="paywall-button" href={asksToRegister ? signIn : subscribe}>
          {asksToRegister ? "Create a free account" : "Subscribe"}
        </a>
        {!props.signedIn && (
          <span>
            {asksToRegister ? "Already registered?" : "Already a subscriber?"} <a href={signIn}>Sign in</a>
          </span>
        )}
      </p>
    </section>
  );
}

/** One field and a button posting to the newsletter's own sign-up (double opt-in): nothing in it is per reader. */
function NewsletterSignUp({ newsletter }: { newsletter: { name: string; slug: string; description: string } }) {
  return (
    <aside class="newsletter-signup wrap-narrow" aria-labelledby="newsletter-signup-heading">
      <h2 id="newsletter-signup-heading">{newsletter.name}</h2>
      {newsletter.description && <p>{newsletter.description}</p>}
      <form class="form" method="post" action={`/newsletters/${newsletter.slug}`}>
        <label>
          Email address
          <input type="email" name="email" required maxLength={254} autoComplete="email" />
        </label>
        <button type="submit">Sign me up</button>
      </form>
    </aside>
  );
}
