/** Ghost's `/settings/` and `/tiers/`, built from the site settings, its sections and pages, and its access levels. */
import { mastheadSections, type Section, type SiteSettings } from "../content/index.js";
import type { GhostSettingsObject, GhostTierObject } from "./response-schemas.js";
import { absolute, stableId } from "./serializers.js";

/** The Ghost version whose Content API this one answers as (`Content-Version`, settings `version`). */
export const GHOST_VERSION = "6.0";

export type SettingsSource = {
  settings: SiteSettings;
  sections: Section[];
  pages: { slug: string; title: string }[];
  publicUrl: string;
};

export function toGhostSettings({ settings, sections, pages, publicUrl }: SettingsSource): GhostSettingsObject {
  const url = (path: string) => absolute({ publicUrl }, path);
  return {
    title: settings.title,
    description: settings.description,
    logo: settings.logoUrl ? url(settings.logoUrl) : null,
    icon: url("/favicon.svg"),
    accent_color: settings.accentColor,
    cover_image: null,
    facebook: settings.facebookPage,
    twitter: settings.xHandle ? `@${settings.xHandle.replace(/^@/, "")}` : null,
    lang: settings.language,
    locale: settings.language,
    timezone: settings.timeZone,
    codeinjection_head: null,
    codeinjection_foot: null,
    navigation: [
      { label: "Home", url: url("/") },
      ...mastheadSections(settings.navigation, sections).map((s) => ({
        label: s.name,
        url: url(`/section/${s.slug}`),
      })),
    ],
    secondary_navigation: pages.map((p) => ({ label: p.title, url: url(`/${p.slug}`) })),
    og_image: null,
    og_title: null,
    og_description: null,
    twitter_image: null,
    twitter_title: null,
    twitter_description: null,
    meta_title: null,
    meta_description: settings.description || null,
    // Articles can be for registered readers or for subscribers, so both kinds of membership exist.
    members_enabled: true,
    members_invite_only: false,
    members_signup_access: "all",
    paid_members_enabled: true,
    portal_button: false,
    portal_name: false,
    portal_plans: ["free"],
    comments_enabled: "off",
    recommendations_enabled: false,
    url: url("/"),
    version: GHOST_VERSION,
  };
}

/** The two ways to read: free (registered) and paid. Prices stay null until billing sets them. */
export function listTiers(settings: SiteSettings): GhostTierObject[] {
  const tier = (fields: Pick<GhostTierObject, "name" | "slug" | "type" | "description" | "currency">) => ({
    id: stableId(`tier:${fields.slug}`),
    ...fields,
    active: true,
    visibility: "public",
    trial_days: 0,
    welcome_page_url: null,
    monthly_price: null,
    yearly_price: null,
    benefits: [],
    created_at: null,
    updated_at: null,
  });
  return [
    tier({ name: "Free", slug: "free", type: "free", description: "Articles for registered readers", currency: null }),
    tier({
      name: "Digital access",
      slug: "digital-access",
      type: "paid",
      description: "Every article in full",
      currency: settings.currency,
    }),
  ];
}
