import type { AuthorProfile } from "../../content/index.js";
import { AuthorFace } from "./parts.js";

const PHOTO_SIZE = 112;
/** The stylesheet draws the face at 4.5rem (72 px) up to 40rem wide: a 2× phone then takes the 160 px copy. */
const PHOTO_SIZES = "(max-width: 40rem) 72px, 112px";

/** Names for the places authors most often link to; any other address reads as its host. */
const KNOWN_SITES: [RegExp, string][] = [
  [/^(www\.)?(x|twitter)\.com$/, "X"],
  [/^(www\.|m\.)?facebook\.com$/, "Facebook"],
  [/^(www\.)?instagram\.com$/, "Instagram"],
  [/^(www\.)?linkedin\.com$/, "LinkedIn"],
  [/^bsky\.app$/, "Bluesky"],
  [/^(www\.)?threads\.(net|com)$/, "Threads"],
  [/^(www\.)?youtube\.com$/, "YouTube"],
  [/^(www\.)?github\.com$/, "GitHub"],
];

/** What a profile link says: the site's name, Mastodon for an `/@user` address, else the host. */
export function profileLinkLabel(href: string): string {
  const url = new URL(href);
  const known = KNOWN_SITES.find(([host]) => host.test(url.hostname));
  if (known) return known[1];
  if (/^\/@[^/]+\/?$/.test(url.pathname)) return "Mastodon";
  return url.hostname.replace(/^www\./, "");
}

/**
 * Where to follow this author, beside their bio: their own feed on this site and their own accounts. The paper's
 * accounts ("Follow us") are in the footer, never here.
 */
function AuthorFollowLinks(props: { author: AuthorProfile; feedPath: string }) {
  const { author } = props;
  return (
    <nav class="author-follow" aria-label={`Follow ${author.name}`}>
      <span class="follow-label">Follow</span>
      <ul>
        <li>
          <a href={props.feedPath} type="application/rss+xml">
            RSS feed
          </a>
        </li>
        {author.xHandle && (
          <li>
            <a href={`https://x.com/${encodeURIComponent(author.xHandle)}`} rel="me noopener">
              X <span class="follow-handle">@{author.xHandle}</span>
            </a>
          </li>
        )}
        {author.profileLinks.map((href) => (
          <li>
            <a href={href} rel="me noopener">
              {profileLinkLabel(href)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** An author page's header: photo (or initials), name, bio, and where to follow them. */
export function AuthorHeader(props: { author: AuthorProfile; feedPath: string }) {
  const { author } = props;
  return (
    <div class="author-header">
      <AuthorFace author={author} size={PHOTO_SIZE} sizes={PHOTO_SIZES} eager />
      <div>
        <p class="kicker">Author</p>
        <h1>{author.name}</h1>
        {author.bio && <p class="listing-description">{author.bio}</p>}
        <AuthorFollowLinks author={author} feedPath={props.feedPath} />
      </div>
    </div>
  );
}
