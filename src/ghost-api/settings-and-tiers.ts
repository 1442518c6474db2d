/**
 * Ghost's `/settings/`, `/tiers/` and `/newsletters/`, built from the site settings, its sections and pages, its
 * access levels and the newsroom's newsletters.
 */
import { mastheadSections, type Section, type SiteSettings } from "../content/index.js";
import type { Newsletter } from "../newsletters/index.js";
import type { GhostNewsletterObject, GhostSettingsObject, GhostTierObject } from "./response-schemas.js";
import { absolute, stableId, stableUuid } from "./serializers.js";

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
    members_support_address: "noreply",
    // Articles can be for registered readers or for subscribers, so both kinds of membership exist, and anyone
    // may register.
    members_enabled: true,
    donations_enabled: false,
    allow_self_signup: true,
    members_invite_only: false,
    members_signup_access: "all",
    paid_members_enabled: true,
    firstpromoter_account: null,
    // Ghost's Portal is not here: its button is off, its other settings Ghost's defaults.
    portal_button_style: "icon-and-text",
    portal_button_signup_text: "Subscribe",
    portal_button_icon: null,
    portal_signup_terms_html: null,
    portal_signup_checkbox_required: false,
    portal_plans: ["free"],
    portal_default_plan: "yearly",
    portal_name: false,
    portal_button: false,
    portal_transistor_heading: null,
    portal_transistor_description: null,
    portal_transistor_button_text: null,
    comments_enabled: "off",
    recommendations_enabled: false,
    // Outbound links go out as the newsroom wrote them, without Ghost's `?ref=`.
    outbound_link_tagging: false,
    default_email_address: null,
    support_email_address: null,
    editor_default_email_recipients: "visibility",
    labs: {},
    site_uuid: stableUuid(`site:${publicUrl}`),
    url: url("/"),
    version: GHOST_VERSION,
  };
}

/**
 * The two ways to read: free (registered) and paid. Prices stay null until billing sets them. Both follow from
 * the settings (the paid one's currency), so they date from the settings' last change.
 */
export function listTiers(settings: SiteSettings, changedAt: string): GhostTierObject[] {
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
    created_at: changedAt,
    updated_at: changedAt,
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

/** The newsletters a reader can choose (the active ones, by sort order), as Ghost names them. */
export function toGhostNewsletters(newsletters: Newsletter[]): GhostNewsletterObject[] {
  const at = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
  return newsletters.map((n) => ({
    id: n.id,
    uuid: n.id,
    name: n.name,
    description: n.description || null,
    slug: n.slug,
    sender_email: n.senderEmail,
    subscribe_on_signup: n.isDefault,
    visibility: n.visibility === "paid" ? "paid" : "members",
    sort_order: n.sortOrder,
    created_at: at(n.createdAt),
    updated_at: at(n.updatedAt),
  }));
}
