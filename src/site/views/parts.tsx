import type { ArticleSummary, AuthorRef, BylineAuthor, ImageRef, SiteSettings } from "../../content/index.js";
import { safeUrl } from "../../shared/html.js";
import { responsiveImage } from "../../shared/responsive-image.js";
import { formatRelative, KIND_LABELS } from "./format.js";

/**
 * An image with its srcset: uploads (`/media/<id>-<W>x<H>.<ext>`, see shared/responsive-image.ts) get their
 * WebP and JPEG variants and their own size; the demo's pictures use their `…-400.webp`, `…-800.webp` and `…-1280.webp`.
 */
export function Picture(props: { image: ImageRef; sizes: string; eager?: boolean; width?: number; height?: number }) {
  const { image } = props;
  const loading = props.eager ? "eager" : "lazy";
  const fetchpriority = props.eager ? "high" : undefined;
  const upload = responsiveImage(image.url);
  if (upload) {
    return (
      <picture>
        <source type="image/webp" srcset={upload.webpSrcset} sizes={props.sizes} />
        <img
          src={upload.src.url}
          srcset={upload.jpegSrcset}
          sizes={props.sizes}
          alt={image.alt}
          width={upload.width}
          height={upload.height}
          loading={loading}
          decoding="async"
          fetchpriority={fetchpriority}
        />
      </picture>
    );
  }
  const match = /^(.*)-1280\.webp$/.exec(image.url);
  const srcset = match ? [400, 800, 1280].map((width) => `${match[1]}-${width}.webp ${width}w`).join(", ") : undefined;
  return (
    <img
      src={image.url}
      srcset={srcset}
      sizes={srcset ? props.sizes : undefined}
      alt={image.alt}
      width={props.width ?? 1280}
      height={props.height ?? 720}
      loading={loading}
      decoding="async"
      fetchpriority={fetchpriority}
    />
  );
}

export function KindLabel(props: { kind: string; section?: { slug: string; name: string }; preferSection?: boolean }) {
  if ((props.kind === "news" || props.preferSection) && props.section) {
    return (
      <a class="kicker" href={`/section/${props.section.slug}`}>
        {props.section.name}
      </a>
    );
  }
  return <span class={`kicker kicker-${props.kind}`}>{KIND_LABELS[props.kind] ?? props.kind}</span>;
}

export function Authors(props: { authors: AuthorRef[]; linked?: boolean }) {
  const names = props.authors.map((a) =>
    props.linked === false ? <span>{a.name}</span> : <a href={`/author/${a.slug}`}>{a.name}</a>,
  );
  return (
    <>
      {names.map((n, i) => (
        <>
          {i > 0 && (i === names.length - 1 ? " and " : ", ")}
          {n}
        </>
      ))}
    </>
  );
}

export function AccessBadge(props: { level: string }) {
  if (props.level === "public") return null;
  return (
    <span class={`access-badge access-${props.level}`}>
      {props.level === "paid" ? "Subscribers" : "Free with registration"}
    </span>
  );
}

export type TeaserVariant = "lead" | "top" | "standard" | "rail";

/** What each picture is shown at, so a phone fetches a rendition near its own width, not the largest. */
const IMAGE_SIZES: Record<"lead" | "top" | "standard", string> = {
  lead: "(min-width: 64rem) 540px, (min-width: 48rem) 60vw, calc(100vw - 2rem)",
  top: "(min-width: 64rem) 320px, (min-width: 48rem) 40vw, 112px",
  standard: "(min-width: 48rem) 96px, 112px",
};

export function Teaser(props: {
  article: ArticleSummary;
  variant: TeaserVariant;
  settings: SiteSettings;
  now: Date;
  headingLevel?: 2 | 3;
}) {
  const { article, variant, settings } = props;
  const H = props.headingLevel === 3 ? "h3" : "h2";
  return (
    <article class={`teaser teaser-${variant}${article.kind !== "news" ? ` teaser-kind-${article.kind}` : ""}`}>
      {variant !== "rail" && article.image && (
        // The title's link covers the whole teaser (see .teaser-title a::after), so the picture needs no link of its own.
        <div class="teaser-image">
          <Picture image={article.image} eager={variant === "lead"} sizes={IMAGE_SIZES[variant]} />
        </div>
      )}
      <div class="teaser-text">
        <KindLabel kind={article.kind} section={article.section} preferSection={variant === "rail"} />
        <H class="teaser-title">
          <a href={article.path}>{article.title}</a>
        </H>
        {variant !== "rail" && article.dek && <p class="teaser-dek">{article.dek}</p>}
        <p class="teaser-meta">
          <span class="teaser-byline">
            <Authors authors={article.authors} linked={false} />
          </span>
          <time datetime={article.publishedAt.toISOString()}>
            {formatRelative(article.publishedAt, props.now, settings.language, settings.timeZone)}
          </time>
          <AccessBadge level={article.accessLevel} />
        </p>
      </div>
    </article>
  );
}

/** One entry in a list of headlines (the latest, a section's further stories): the headline, then its time. */
export function Headline(props: { article: ArticleSummary; settings: SiteSettings; now: Date }) {
  const { article, settings } = props;
  return (
    <article class={`headline${article.kind !== "news" ? ` headline-${article.kind}` : ""}`}>
      <h3 class="headline-title">
        <a href={article.path}>{article.title}</a>
      </h3>
      <p class="headline-meta">
        <time datetime={article.publishedAt.toISOString()}>
          {formatRelative(article.publishedAt, props.now, settings.language, settings.timeZone)}
        </time>
        <AccessBadge level={article.accessLevel} />
      </p>
    </article>
  );
}

/**
 * The copies a face picks from: an upload's JPEG variants, or the demo portraits' 160 and 400 px files. The box is
 * square and the picture cropped to it by CSS.
 */
function faceCopies(photo: string): { src: string; srcset?: string } {
  const upload = responsiveImage(photo);
  if (upload) return { src: upload.src.url, srcset: upload.jpegSrcset };
  const demo = /^(.*)-400\.webp$/.exec(photo);
  if (!demo) return { src: photo };
  return { src: photo, srcset: [160, 400].map((width) => `${demo[1]}-${width}.webp ${width}w`).join(", ") };
}

/**
 * An author's photo, or their initials in a circle when the newsroom has none; decorative beside the name. `sizes` is for a face the stylesheet draws at another width on some
 * screens; `eager` for one at the top of the page, which is what the reader sees first.
 */
export function AuthorFace(props: { author: BylineAuthor | undefined; size: number; sizes?: string; eager?: boolean }) {
  const { author, size } = props;
  if (!author) return null;
  const photo = author.avatarUrl ? safeUrl(author.avatarUrl) : undefined;
  if (photo) {
    const { src, srcset } = faceCopies(photo);
    return (
      <img
        class="author-face"
        src={src}
        srcset={srcset}
        sizes={srcset ? (props.sizes ?? `${size}px`) : undefined}
        alt=""
        width={size}
        height={size}
        loading={props.eager ? "eager" : "lazy"}
        decoding="async"
      />
    );
  }
  const initials = author.name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0])
    .slice(0, 2)
    .join("");
  return (
    <span class="author-face author-initials" style={`--face:${size}px`} aria-hidden="true">
      {initials}
    </span>
  );
}

export type PaginationProps = {
  page: number;
  pages: number;
  hrefFor: (page: number) => string;
  /** What the pages are, for screen readers ("Pages", "Result pages"). */
  label: string;
  /** Newest-first lists read "Newer"/"Older"; ranked results "Previous"/"Next". */
  order: "chronological" | "ranked";
};

export function Pagination(props: PaginationProps) {
  if (props.pages <= 1) return null;
  const [prev, next] = props.order === "chronological" ? ["← Newer", "Older →"] : ["← Previous", "Next →"];
  return (
    <nav class="pagination" aria-label={props.label}>
      {props.page > 1 ? (
        <a rel="prev" href={props.hrefFor(props.page - 1)}>
          {prev}
        </a>
      ) : (
        <span />
      )}
      <span class="pagination-status">
        Page {props.page} of {props.pages}
      </span>
      {props.page < props.pages ? (
        <a rel="next" href={props.hrefFor(props.page + 1)}>
          {next}
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function FollowLinks(props: { settings: SiteSettings }) {
  const { xHandle, facebookPage, instagramHandle, mastodonHandle } = props.settings;
  const facebook = facebookPage ? safeUrl(facebookPage) : undefined;
  const [mastodonUser, mastodonHost] = (mastodonHandle ?? "").replace(/^@/, "").split("@");
  if (!xHandle && !facebook && !instagramHandle && !(mastodonUser && mastodonHost)) return null;
  return (
    <p class="follow">
      <span class="follow-label">Follow us</span>
      {xHandle && (
        <a href={`https://x.com/${encodeURIComponent(xHandle)}`} rel="me noopener">
          on X <span class="follow-handle">@{xHandle}</span>
        </a>
      )}
      {facebook && (
        <a href={facebook} rel="me noopener">
          on Facebook
        </a>
      )}
      {instagramHandle && (
        <a href={`https://www.instagram.com/${encodeURIComponent(instagramHandle)}/`} rel="me noopener">
          on Instagram
        </a>
      )}
      {mastodonUser && mastodonHost && (
        <a href={`https://${encodeURIComponent(mastodonHost)}/@${encodeURIComponent(mastodonUser)}`} rel="me noopener">
          on Mastodon
        </a>
      )}
    </p>
  );
}

/** An author's own accounts, where their bio is: the paper's accounts are in the footer, not here. */
export function AuthorFollow(props: { author: { name: string; xHandle: string | null } }) {
  const { xHandle } = props.author;
  if (!xHandle) return null;
  return (
    <p class="author-follow">
      <a href={`https://x.com/${encodeURIComponent(xHandle)}`} rel="noopener">
        Follow {props.author.name} on X <span class="follow-handle">@{xHandle}</span>
      </a>
    </p>
  );
}

export function ShareLinks(props: { url: string; title: string; xHandle: string | null }) {
  const u = encodeURIComponent(props.url);
  const t = encodeURIComponent(props.title);
  const via = props.xHandle ? `&via=${encodeURIComponent(props.xHandle)}` : "";
  return (
    <section class="share" aria-label="Share this article">
      <h2 class="share-heading">Share</h2>
      <ul>
        <li>
          <a href={`https://x.com/intent/post?url=${u}&text=${t}${via}`} rel="noopener noreferrer" target="_blank">
            X
          </a>
        </li>
        <li>
          <a href={`https://www.facebook.com/sharer/sharer.php?u=${u}`} rel="noopener noreferrer" target="_blank">
            Facebook
          </a>
        </li>
        <li>
          <a href={`mailto:?subject=${t}&body=${u}`}>Email</a>
        </li>
        <li>
          <a href={props.url} data-copy-link="">
            Copy link
          </a>
        </li>
      </ul>
    </section>
  );
}
