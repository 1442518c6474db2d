/**
 * An author's accounts elsewhere in Ghost's author fields, from their X handle and their profile's https links.
 * Ghost keeps an account as the handle or path its themes turn back into an address (`twitter: "@kos"` →
 * https://x.com/kos, `facebook: "groups/harbour"`, `mastodon: "social.example/@kos"`), and `website` as an address.
 */
import type { AuthorProfile } from "../content/index.js";

export type GhostAccountField =
  | "twitter"
  | "facebook"
  | "threads"
  | "bluesky"
  | "mastodon"
  | "tiktok"
  | "youtube"
  | "instagram"
  | "linkedin";

export type GhostAuthorAccounts = Record<GhostAccountField | "website", string | null>;

type Platform = {
  field: GhostAccountField;
  host: RegExp;
  /** What Ghost stores for a profile address's path segments; undefined for an address that is no profile. */
  handle: (segments: string[], url: URL) => string | undefined;
};

const X_NAME = /^[A-Za-z0-9_]{1,15}$/;
const NAME = /^[\p{L}\p{N}._-]+$/u;

const named = (segment: string | undefined, pattern = NAME) =>
  segment !== undefined && pattern.test(segment) ? segment : undefined;
const withoutAt = (segment: string | undefined) => segment?.replace(/^@/, "");
/** The handle when the address writes it as `/@name` (TikTok's and YouTube's), else undefined. */
const atNamed = (segment: string | undefined) => (segment?.startsWith("@") ? named(segment.slice(1)) : undefined);
const prefixed = (prefix: string, name: string | undefined) => (name ? `${prefix}${name}` : undefined);

// Ghost's formats, as its admin stores them and its themes' helpers read them back (@tryghost/social-urls).
const PLATFORMS: Platform[] = [
  {
    field: "twitter",
    host: /^(www\.|mobile\.)?(x|twitter)\.com$/,
    handle: ([name]) => prefixed("@", named(withoutAt(name), X_NAME)),
  },
  {
    field: "facebook",
    host: /^(www\.|m\.)?facebook\.com$/,
    // A page, a group or `profile.php?id=…`: the path after the host, as Ghost keeps it.
    handle: (segments, url) => (segments.length > 0 ? `${segments.join("/")}${url.search}` : undefined),
  },
  { field: "threads", host: /^(www\.)?threads\.(net|com)$/, handle: ([name]) => prefixed("@", named(withoutAt(name))) },
  {
    field: "bluesky",
    host: /^(www\.)?bsky\.app$/,
    handle: ([profile, name]) => (profile === "profile" ? named(withoutAt(name), /^[A-Za-z0-9.:-]+$/) : undefined),
  },
  { field: "tiktok", host: /^(www\.|m\.)?tiktok\.com$/, handle: ([name]) => prefixed("@", atNamed(name)) },
  {
    field: "youtube",
    host: /^(www\.|m\.|music\.)?youtube\.com$/,
    handle: ([first, second]) =>
      first === "user" || first === "channel" ? prefixed(`${first}/`, named(second)) : prefixed("@", atNamed(first)),
  },
  { field: "instagram", host: /^(www\.|m\.)?instagram\.com$/, handle: ([name]) => named(withoutAt(name)) },
  {
    field: "linkedin",
    host: /^([a-z]{2,3}\.)?linkedin\.com$/,
    handle: (segments) => {
      const [kind, name] = segments;
      if (kind === "in") return named(name);
      if (kind === "company" || kind === "school") return prefixed(`${kind}/`, named(name));
      return kind === "pub" && segments.length > 1 ? segments.join("/") : undefined;
    },
  },
];

/** A Mastodon profile is `/@name` on its server's own host, whatever that is; Ghost keeps `host/@name`. */
function mastodonHandle(url: URL, segments: string[]): string | undefined {
  return segments.length === 1 && /^@[^@]+(@[^@]+)?$/.test(segments[0]!) ? `${url.host}/${segments[0]}` : undefined;
}

function httpsUrl(link: string): URL | undefined {
  try {
    const url = new URL(link);
    return url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The field a link fills and with what; undefined for a link on a platform that is no profile (x.com/home). */
function accountOf(url: URL): [GhostAccountField | "website", string] | undefined {
  const segments = url.pathname.split("/").filter(Boolean);
  const platform = PLATFORMS.find((p) => p.host.test(url.hostname));
  if (platform) {
    const handle = platform.handle(segments, url);
    return handle ? [platform.field, handle] : undefined;
  }
  const mastodon = mastodonHandle(url, segments);
  return mastodon ? ["mastodon", mastodon] : ["website", url.href];
}

/**
 * The first link on each platform fills its field; `website` is the first link on none of them. Only https
 * links count. `twitter` is the profile's X handle when it has one, else its first X link.
 */
export function ghostAuthorAccounts(author: Pick<AuthorProfile, "xHandle" | "profileLinks">): GhostAuthorAccounts {
  const accounts: GhostAuthorAccounts = {
    website: null,
    twitter: author.xHandle ? `@${author.xHandle.replace(/^@/, "")}` : null,
    facebook: null,
    threads: null,
    bluesky: null,
    mastodon: null,
    tiktok: null,
    youtube: null,
    instagram: null,
    linkedin: null,
  };
  for (const link of author.profileLinks) {
    const url = httpsUrl(link);
    const account = url && accountOf(url);
    if (account) accounts[account[0]] ??= account[1];
  }
  return accounts;
}
