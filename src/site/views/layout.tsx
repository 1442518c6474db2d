import type { ComponentChildren } from "preact";
import type { BreakingNews } from "../../content/index.js";
import { feedAlternates } from "../../distribution/index.js";
import { safeUrl } from "../../shared/html.js";
import { formatLongDate } from "./format.js";
import type { PageMeta, ReaderClass, SiteFrame } from "./frame.js";
import { FollowLinks } from "./parts.js";

function jsonLdScript(data: object) {
  // "<" is escaped so no string inside the data can close the script element.
  const json = JSON.stringify(data).replace(/</g, "\\u003c");
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: json }} />;
}

/** Open Graph, article and Twitter tags: what a link shows when it is shared. */
function SocialMeta({ frame, meta, canonical }: { frame: SiteFrame; meta: PageMeta; canonical: string }) {
  const { settings } = frame;
  const imageUrl = meta.image ? absolute(frame.publicUrl, meta.image.url) : undefined;
  return (
    <>
      <meta property="og:site_name" content={settings.title} />
      <meta property="og:type" content={meta.ogType ?? "website"} />
      <meta property="og:title" content={meta.title} />
      <meta property="og:description" content={meta.description} />
      <meta property="og:url" content={canonical} />
      {imageUrl && <meta property="og:image" content={imageUrl} />}
      {meta.image?.width && <meta property="og:image:width" content={String(meta.image.width)} />}
      {meta.image?.height && <meta property="og:image:height" content={String(meta.image.height)} />}
      {meta.image?.contentType && <meta property="og:image:type" content={meta.image.contentType} />}
      {meta.image && <meta property="og:image:alt" content={meta.image.alt} />}
      {meta.articleMeta && <meta property="article:published_time" content={meta.articleMeta.publishedTime} />}
      {meta.articleMeta && <meta property="article:modified_time" content={meta.articleMeta.modifiedTime} />}
      {meta.articleMeta && <meta property="article:section" content={meta.articleMeta.section} />}
      {meta.articleMeta?.tags.map((t) => (
        <meta property="article:tag" content={t} />
      ))}
      <meta name="twitter:card" content={imageUrl ? "summary_large_image" : "summary"} />
      {imageUrl && <meta name="twitter:image" content={imageUrl} />}
      {meta.image && <meta name="twitter:image:alt" content={meta.image.alt} />}
      {settings.xHandle && <meta name="twitter:site" content={`@${settings.xHandle}`} />}
    </>
  );
}

export function Layout(props: {
  frame: SiteFrame;
  meta: PageMeta;
  current?: string;
  /** A bar above the masthead that is not part of the page readers get (a preview's explanation). */
  notice?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { frame, meta } = props;
  const { settings } = frame;
  const canonical = meta.canonicalUrl ?? `${frame.publicUrl}${meta.path}`;
  const fullTitle =
    meta.path === "/" ? `${settings.title} — ${settings.description}` : `${meta.title} | ${settings.title}`;
  const feeds = [
    ...(meta.feed ? feedAlternates(`${frame.publicUrl}${meta.feed.path}`, meta.feed.title) : []),
    ...feedAlternates(`${frame.publicUrl}/feed`, settings.title),
  ];
  return (
    <html lang={settings.language} style={`--accent:${safeColor(settings.accentColor)}`}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={meta.description} />
        <link rel="canonical" href={canonical} />
        {meta.prev && <link rel="prev" href={meta.prev} />}
        {meta.next && <link rel="next" href={meta.next} />}
        {meta.noindex && <meta name="robots" content="noindex" />}
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content="#fbfaf7" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#151412" media="(prefers-color-scheme: dark)" />
        {frame.assets.fontPreloads.map((href) => (
          <link rel="preload" href={href} as="font" type="font/woff2" crossorigin="anonymous" />
        ))}
        <link rel="stylesheet" href={frame.assets.css} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {feeds.map((feed) => (
          <link rel="alternate" type={feed.type} title={feed.title} href={feed.href} />
        ))}
        <SocialMeta frame={frame} meta={meta} canonical={canonical} />
        {meta.jsonLd?.map(jsonLdScript)}
        <script src={frame.assets.js} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {props.notice && (
          <aside class="site-notice" aria-label="About this page">
            <p class="wrap">{props.notice}</p>
          </aside>
        )}
        <Masthead frame={frame} current={props.current} />
        {frame.breaking && <BreakingStrip breaking={frame.breaking} />}
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
        <SiteFooter frame={frame} />
      </body>
    </html>
  );
}

/** The newsroom's breaking-news strip; the link is one the newsroom checked (http(s) or on this site). */
function BreakingStrip(props: { breaking: BreakingNews }) {
  const { text, url } = props.breaking;
  const href = url ? safeUrl(url) : undefined;
  return (
    <aside class="breaking" aria-label="Breaking news">
      <p class="wrap breaking-inner">
        <span class="breaking-label">Breaking</span>
        {href ? (
          <a class="breaking-text" href={href}>
            {text}
          </a>
        ) : (
          <span class="breaking-text">{text}</span>
        )}
      </p>
    </aside>
  );
}

/**
 * One bar: the date, the paper's name and the reader's links, then the sections. On a phone it stays at the top
 * while the reader scrolls, the sections scroll sideways, and search is a link to its page.
 */
function Masthead(props: { frame: SiteFrame; current: string | undefined }) {
  const { settings, navigation: sections, now } = props.frame;
  return (
    <header class="masthead">
      <div class="masthead-bar wrap">
        <p class="masthead-date">{formatLongDate(now, settings.language, settings.timeZone)}</p>
        <a class="brand" href="/" aria-label={`${settings.title}, home page`}>
          {settings.logoUrl && safeUrl(settings.logoUrl) ? (
            <img src={safeUrl(settings.logoUrl)} alt={settings.title} />
          ) : (
            settings.title
          )}
        </a>
        <div class="masthead-tools">
          <search class="masthead-search">
            <form method="get" action="/search">
              <label>
                <span class="visually-hidden">Search {settings.title}</span>
                <input type="search" name="q" placeholder="Search" />
              </label>
              <button type="submit">Search</button>
            </form>
          </search>
          <a class="masthead-search-link" href="/search">
            <span class="visually-hidden">Search</span>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.2" />
              <path d="m15.5 15.5 5 5" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
            </svg>
          </a>
          <ReaderLinks readerClass={props.frame.readerClass} />
        </div>
      </div>
      <nav class="section-nav" aria-label="Sections">
        <ul class="wrap">
          <li>
            <a href="/" aria-current={props.current === "home" ? "page" : undefined}>
              Home
            </a>
          </li>
          {sections.map((s) => (
            <li>
              <a href={`/section/${s.slug}`} aria-current={props.current === `section:${s.slug}` ? "page" : undefined}>
                {s.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/** The footer on the page's grid: the paper and how to follow it, the subscription call, sections, the paper's pages. */
function SiteFooter(props: { frame: SiteFrame }) {
  const { settings, sections, pages, now, readerClass } = props.frame;
  return (
    <footer class="site-footer">
      <div class="wrap footer-grid">
        <div class="footer-paper">
          <p class="footer-brand">{settings.title}</p>
          <p class="footer-about">{settings.description}</p>
          <FollowLinks settings={settings} />
        </div>
        {(readerClass === "anon" || readerClass === "member") && (
          <div class="footer-subscribe">
            <h2 class="footer-heading">Subscribe</h2>
            <p>Every article, all our analysis, and the paper's newsletters.</p>
            <a class="paywall-button" href="/subscribe">
              See the plans
            </a>
          </div>
        )}
        <nav class="footer-sections" aria-label="Sections, again">
          <h2 class="footer-heading">Sections</h2>
          <ul>
            {sections.map((s) => (
              <li>
                <a href={`/section/${s.slug}`}>{s.name}</a>
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="About the paper">
          <h2 class="footer-heading">The paper</h2>
          <ul>
            {pages.map((p) => (
              <li>
                <a href={`/${p.slug}`}>{p.title}</a>
              </li>
            ))}
            {settings.footerLinks.map((link) => {
              const href = safeUrl(link.url);
              return (
                href && (
                  <li>
                    <a href={href}>{link.label}</a>
                  </li>
                )
              );
            })}
            <li>
              <a href="/feed">RSS</a>
            </li>
          </ul>
        </nav>
      </div>
      <div class="wrap">
        <p class="footer-legal">
          © {now.getUTCFullYear()} {settings.title}. Published with Broadsheet.
        </p>
      </div>
    </footer>
  );
}

function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : "#9b1c1c";
}

export function absolute(publicUrl: string, url: string): string {
  return url.startsWith("/") ? `${publicUrl}${url}` : url;
}

/** What the masthead offers each class of reader: a way in, a way to subscribe, or their account. */
function ReaderLinks(props: { readerClass: ReaderClass }) {
  if (props.readerClass === "staff") {
    return (
      <p class="masthead-reader">
        <span class="masthead-account">Staff view: every article in full</span>
      </p>
    );
  }
  return (
    <p class="masthead-reader">
      {props.readerClass === "anon" ? (
        <a class="masthead-account" href="/signin">
          Sign in
        </a>
      ) : (
        <a class="masthead-account" href="/account">
          Account
        </a>
      )}
      {props.readerClass !== "subscriber" && (
        <a class="masthead-subscribe" href="/subscribe">
          Subscribe
        </a>
      )}
    </p>
  );
}
