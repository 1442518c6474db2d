/**
 * The Content API's response shapes. They are also an allow-list: the serializer drops any key not named
 * here, so nothing else an article carries (its gated part above all) can be sent by accident.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = () => Nullable(Type.String());
const closed = { additionalProperties: false } as const;

const Social = {
  og_image: Text(),
  og_title: Text(),
  og_description: Text(),
  twitter_image: Text(),
  twitter_title: Text(),
  twitter_description: Text(),
  meta_title: Text(),
  meta_description: Text(),
};

// Every key is optional because `fields` may ask for any subset.
export const GhostTag = Type.Partial(
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    description: Text(),
    feature_image: Text(),
    visibility: Type.String(),
    ...Social,
    codeinjection_head: Text(),
    codeinjection_foot: Text(),
    canonical_url: Text(),
    accent_color: Text(),
    url: Type.String(),
    count: Type.Object({ posts: Type.Integer() }, closed),
  }),
  closed,
);

export const GhostAuthor = Type.Partial(
  Type.Object({
    id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    profile_image: Text(),
    cover_image: Text(),
    bio: Text(),
    website: Text(),
    location: Text(),
    facebook: Text(),
    twitter: Text(),
    threads: Text(),
    bluesky: Text(),
    mastodon: Text(),
    tiktok: Text(),
    youtube: Text(),
    instagram: Text(),
    linkedin: Text(),
    meta_title: Text(),
    meta_description: Text(),
    url: Type.String(),
    count: Type.Object({ posts: Type.Integer() }, closed),
  }),
  closed,
);

/** A post, or a page (which adds `show_title_and_feature_image`). */
export const GhostPost = Type.Partial(
  Type.Object({
    id: Type.String(),
    uuid: Type.String(),
    title: Type.String(),
    slug: Type.String(),
    html: Type.String(),
    plaintext: Type.String(),
    comment_id: Text(),
    feature_image: Text(),
    feature_image_alt: Text(),
    feature_image_caption: Text(),
    featured: Type.Boolean(),
    visibility: Type.String(),
    created_at: Type.String(),
    updated_at: Text(),
    published_at: Text(),
    custom_excerpt: Text(),
    codeinjection_head: Text(),
    codeinjection_foot: Text(),
    custom_template: Text(),
    canonical_url: Text(),
    tags: Type.Array(GhostTag),
    authors: Type.Array(GhostAuthor),
    primary_author: Nullable(GhostAuthor),
    primary_tag: Nullable(GhostTag),
    url: Type.String(),
    excerpt: Text(),
    reading_time: Type.Integer(),
    access: Type.Boolean(),
    comments: Type.Boolean(),
    show_title_and_feature_image: Type.Boolean(),
    ...Social,
    email_subject: Text(),
    frontmatter: Text(),
  }),
  closed,
);

const NavigationItem = Type.Object({ label: Type.String(), url: Type.String() }, closed);

export const GhostSettings = Type.Object(
  {
    title: Type.String(),
    description: Type.String(),
    logo: Text(),
    icon: Text(),
    accent_color: Text(),
    cover_image: Text(),
    facebook: Text(),
    twitter: Text(),
    lang: Type.String(),
    locale: Type.String(),
    timezone: Type.String(),
    codeinjection_head: Text(),
    codeinjection_foot: Text(),
    navigation: Type.Array(NavigationItem),
    secondary_navigation: Type.Array(NavigationItem),
    ...Social,
    members_support_address: Type.String(),
    members_enabled: Type.Boolean(),
    donations_enabled: Type.Boolean(),
    allow_self_signup: Type.Boolean(),
    members_invite_only: Type.Boolean(),
    members_signup_access: Type.String(),
    paid_members_enabled: Type.Boolean(),
    firstpromoter_account: Text(),
    portal_button_style: Type.String(),
    portal_button_signup_text: Type.String(),
    portal_button_icon: Text(),
    portal_signup_terms_html: Text(),
    portal_signup_checkbox_required: Type.Boolean(),
    portal_plans: Type.Array(Type.String()),
    portal_default_plan: Type.String(),
    portal_name: Type.Boolean(),
    portal_button: Type.Boolean(),
    portal_transistor_heading: Text(),
    portal_transistor_description: Text(),
    portal_transistor_button_text: Text(),
    comments_enabled: Type.String(),
    recommendations_enabled: Type.Boolean(),
    outbound_link_tagging: Type.Boolean(),
    default_email_address: Text(),
    support_email_address: Text(),
    editor_default_email_recipients: Type.String(),
    labs: Type.Record(Type.String(), Type.Boolean()),
    site_uuid: Type.String(),
    url: Type.String(),
    version: Type.String(),
  },
  closed,
);

export const GhostTier = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    description: Text(),
    active: Type.Boolean(),
    type: Type.Union([Type.Literal("free"), Type.Literal("paid")]),
    visibility: Type.String(),
    trial_days: Type.Integer(),
    welcome_page_url: Text(),
    currency: Text(),
    monthly_price: Nullable(Type.Integer()),
    yearly_price: Nullable(Type.Integer()),
    benefits: Type.Array(Type.String()),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  closed,
);

export const GhostNewsletter = Type.Object(
  {
    id: Type.String(),
    uuid: Type.String(),
    name: Type.String(),
    description: Text(),
    slug: Type.String(),
    sender_email: Text(),
    subscribe_on_signup: Type.Boolean(),
    visibility: Type.String(),
    sort_order: Type.Integer(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  closed,
);

const Pagination = Type.Object(
  {
    page: Type.Integer(),
    limit: Type.Integer(),
    pages: Type.Integer(),
    total: Type.Integer(),
    next: Nullable(Type.Integer()),
    prev: Nullable(Type.Integer()),
  },
  closed,
);

/** `{ posts: [...], meta: { pagination } }` for a browse; a read sends the one-item list without `meta`. */
export function listEnvelope(name: string, item: TSchema) {
  return Type.Object(
    { [name]: Type.Array(item), meta: Type.Optional(Type.Object({ pagination: Pagination }, closed)) },
    closed,
  );
}

export const SettingsEnvelope = Type.Object({ settings: GhostSettings, meta: Type.Object({}, closed) }, closed);

export type GhostTagObject = Static<typeof GhostTag>;
export type GhostAuthorObject = Static<typeof GhostAuthor>;
export type GhostPostObject = Static<typeof GhostPost>;
export type GhostSettingsObject = Static<typeof GhostSettings>;
export type GhostTierObject = Static<typeof GhostTier>;
export type GhostNewsletterObject = Static<typeof GhostNewsletter>;
