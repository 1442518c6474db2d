/**
 * The newsroom's site settings: the paper's name and look, its language, time zone and currency, its social
 * accounts, the masthead's sections and the footer's links. Every value shows on every page.
 */
import { eq, inArray } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Invalid } from "../shared/errors.js";
import { checkedLink } from "./curation.js";
import { refreshAllSearchVectors, searchConfigFor } from "./derived.js";
import { sections, siteSettings } from "./schema.js";
import { type CacheTag, cacheTags, type FooterLink, type Section } from "./types.js";

export const MAX_NAVIGATION = 20;
export const MAX_FOOTER_LINKS = 12;

export type SocialAccounts = {
  xHandle: string | null;
  facebookPage: string | null;
  instagramHandle: string | null;
  mastodonHandle: string | null;
};

export type SiteSettingsInput = {
  title: string;
  description: string;
  logoUrl: string | null;
  accentColor: string;
  language: string;
  timeZone: string;
  currency: string;
  social: SocialAccounts;
  navigation: string[];
  footerLinks: FooterLink[];
};

const ACCENT = /^#[0-9a-fA-F]{6}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;
const X_HANDLE = /^@?[A-Za-z0-9_]{1,15}$/;
const INSTAGRAM_HANDLE = /^@?[A-Za-z0-9._]{1,30}$/;
const MASTODON_HANDLE = /^@?[A-Za-z0-9_]{1,30}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const FACEBOOK_PAGE = /^https:\/\/(www\.|m\.)?facebook\.com\/[A-Za-z0-9.-]{1,80}\/?$/;

/** Saves every setting at once, after checking each; a changed currency starts new Stripe prices (the caller's). */
export async function updateSiteSettings(
  db: Queryable,
  input: SiteSettingsInput,
): Promise<{ invalidates: CacheTag[]; isCurrencyChanged: boolean }> {
  const title = input.title.replace(/\s+/g, " ").trim();
  if (!title) throw new Invalid("TITLE_REQUIRED", "The paper needs a name", { property: "title" });
  if (!ACCENT.test(input.accentColor)) {
    throw new Invalid("INVALID_COLOR", "Use a colour as #rrggbb, e.g. #9b1c1c", { property: "accentColor" });
  }
  const values = {
    title,
    description: input.description.replace(/\s+/g, " ").trim(),
    logoUrl: input.logoUrl === null || input.logoUrl === "" ? null : checkedLink(input.logoUrl, "logoUrl"),
    accentColor: input.accentColor.toLowerCase(),
    language: checkLanguage(input.language),
    timeZone: checkTimeZone(input.timeZone),
    currency: checkCurrency(input.currency),
    xHandle: handle(input.social.xHandle, X_HANDLE, "social.xHandle", "an X handle: letters, digits and _, at most 15"),
    facebookPage: facebookPage(input.social.facebookPage),
    instagramHandle: handle(
      input.social.instagramHandle,
      INSTAGRAM_HANDLE,
      "social.instagramHandle",
      "an Instagram handle: letters, digits, . and _",
    ),
    // Written as Mastodon writes it: @user@host.
    mastodonHandle: atSign(
      handle(
        input.social.mastodonHandle,
        MASTODON_HANDLE,
        "social.mastodonHandle",
        "a Mastodon address, e.g. @paper@mastodon.social",
      ),
    ),
    navigation: await checkNavigation(db, input.navigation),
    footerLinks: checkFooterLinks(input.footerLinks),
  };
  const [before] = await db
    .select({ currency: siteSettings.currency, language: siteSettings.language })
    .from(siteSettings);
  await db.update(siteSettings).set(values).where(eq(siteSettings.id, 1));
  // Stored words were stemmed for the old language; searches are stemmed for the new one. The whole archive is
  // read again here, in the caller's transaction: a language changes rarely, and search never sees a mixture.
  if (before && searchConfigFor(before.language) !== searchConfigFor(values.language)) {
    await refreshAllSearchVectors(db);
  }
  // Every page shows the title, colours, masthead and footer.
  return { invalidates: [cacheTags.site, cacheTags.feeds], isCurrencyChanged: before?.currency !== values.currency };
}

/** The masthead's sections: the chosen ones in their order (archived ones skipped), else every active one. */
export function mastheadSections(navigation: readonly string[], active: readonly Section[]): Section[] {
  if (navigation.length === 0) return [...active];
  const byId = new Map(active.map((s) => [s.id, s]));
  return navigation.flatMap((id) => byId.get(id) ?? []);
}

function checkLanguage(value: string): string {
  const primary = value.split("-")[0] ?? "";
  const known =
    LANGUAGE.test(value) && new Intl.DisplayNames(["en"], { type: "language", fallback: "none" }).of(primary);
  if (!known) {
    throw new Invalid("INVALID_LANGUAGE", "Use a language code such as en, de, fr or pt-BR", { property: "language" });
  }
  return value;
}

function checkTimeZone(value: string): string {
  try {
    if (!/^[A-Za-z][A-Za-z0-9_+/-]*$/.test(value)) throw new RangeError(value);
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new Invalid("INVALID_TIME_ZONE", "Use a time zone name such as Europe/Berlin or America/New_York", {
      property: "timeZone",
    });
  }
}

function checkCurrency(value: string): string {
  if (!/^[A-Z]{3}$/.test(value) || !Intl.supportedValuesOf("currency").includes(value)) {
    throw new Invalid("INVALID_CURRENCY", "Use an ISO 4217 currency code such as EUR, USD or GBP", {
      property: "currency",
    });
  }
  return value;
}

/** A handle without its leading @; empty means none. */
function handle(value: string | null, shape: RegExp, property: string, what: string): string | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (!shape.test(trimmed)) throw new Invalid("INVALID_HANDLE", `Use ${what}`, { property });
  return trimmed.replace(/^@/, "");
}

function atSign(value: string | null): string | null {
  return value === null ? null : `@${value}`;
}

function facebookPage(value: string | null): string | null {
  if (value === null || value.trim() === "") return null;
  if (!FACEBOOK_PAGE.test(value.trim())) {
    throw new Invalid("INVALID_FACEBOOK_PAGE", "Use the page's address, e.g. https://www.facebook.com/yourpaper", {
      property: "social.facebookPage",
    });
  }
  return value.trim();
}

async function checkNavigation(db: Queryable, ids: string[]): Promise<string[]> {
  if (ids.length > MAX_NAVIGATION) {
    throw new Invalid("TOO_MANY_SECTIONS", `The masthead shows at most ${MAX_NAVIGATION} sections`, {
      property: "navigation",
    });
  }
  const found = ids.length
    ? await db
        .select({ id: sections.id, archivedAt: sections.archivedAt })
        .from(sections)
        .where(inArray(sections.id, ids))
    : [];
  const known = new Map(found.map((s) => [s.id, s]));
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    const section = known.get(id);
    if (!section) throw new Invalid("UNKNOWN_SECTION", "There is no such section", { property: `navigation.${i}` });
    if (section.archivedAt) {
      throw new Invalid("SECTION_ARCHIVED", "An archived section cannot be in the masthead", {
        property: `navigation.${i}`,
      });
    }
    if (seen.has(id)) throw new Invalid("SECTION_REPEATED", "Name each section once", { property: `navigation.${i}` });
    seen.add(id);
  }
  return ids;
}

function checkFooterLinks(links: FooterLink[]): FooterLink[] {
  if (links.length > MAX_FOOTER_LINKS) {
    throw new Invalid("TOO_MANY_LINKS", `The footer holds at most ${MAX_FOOTER_LINKS} links`, {
      property: "footerLinks",
    });
  }
  return links.map((link, i) => {
    const label = link.label.replace(/\s+/g, " ").trim();
    if (!label) throw new Invalid("LABEL_REQUIRED", "Give the link a label", { property: `footerLinks.${i}.label` });
    return { label, url: checkedLink(link.url, `footerLinks.${i}.url`) };
  });
}
