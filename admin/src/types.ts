/** The newsroom API's shapes as the app uses them (src/newsroom/api-schema.ts is the contract). */

export const ROLES = ["contributor", "author", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];
export const KINDS = ["news", "analysis", "opinion", "feature", "explainer"] as const;
export type Kind = (typeof KINDS)[number];
export const STATUSES = ["draft", "in_review", "scheduled", "published", "archived"] as const;
export type Status = (typeof STATUSES)[number];
export const ACCESS_LEVELS = ["public", "registered", "paid"] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export type Staff = {
  id: string;
  email: string;
  name: string;
  slug: string;
  bio: string;
  role: Role;
  createdAt: string;
  deactivatedAt: string | null;
};
/** A line of the staff list: below editor, only a name and an id (the rest is for editors and up). */
export type Colleague = Pick<Staff, "id" | "name"> & Partial<Omit<Staff, "id" | "name">>;
export type Ref = { id: string; slug: string; name: string };
export type Section = Ref & {
  description: string;
  position: number;
  accessDefault: AccessDefault | null;
  archivedAt: string | null;
};
export type Tag = Ref & { description: string };

export type FeatureImage = { url: string; alt: string; caption?: string; credit?: string };

export type ArticleFields = {
  title: string;
  dek?: string;
  kind: Kind;
  sectionId: string;
  authorIds: string[];
  tagNames?: string[];
  body: unknown;
  featureImage?: FeatureImage;
  accessLevel?: AccessLevel;
  isMetered?: boolean;
  isFeatured?: boolean;
  metaTitle?: string;
  metaDescription?: string;
  socialTitle?: string;
  socialDescription?: string;
  canonicalUrl?: string;
};

export type ArticleSummary = {
  id: string;
  slug: string;
  title: string;
  dek: string;
  kind: Kind;
  status: Status;
  section: Ref;
  authors: Ref[];
  version: number;
  publishedAt: string | null;
  updatedAt: string;
  createdAt: string;
};

export type Correction = { id: string; kind: "correction" | "update"; note: string; createdAt: string };
export type ArticleDetail = ArticleSummary & { fields: ArticleFields; corrections: Correction[] };
export type Conflict = {
  current: { version: number; fields: ArticleFields };
  yours: { baseVersion: number; fields: ArticleFields };
};
export type Revision = { version: number; savedBy: string | null; createdAt: string };

export const MEMBER_STATES = ["free", "subscriber", "complimentary", "past_due", "cancelled"] as const;
export type MemberState = (typeof MEMBER_STATES)[number];
export const MEMBER_STATE_LABELS: Record<MemberState, string> = {
  free: "Free",
  subscriber: "Subscriber",
  complimentary: "Complimentary",
  past_due: "Past due",
  cancelled: "Cancelled",
};
export type Member = {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  state: MemberState;
  currentPeriodEnd: string | null;
};
export type Revenue = {
  currency: string;
  activeSubscribers: number;
  trialing: number;
  pastDue: number;
  /** Monthly recurring revenue in minor units (cents). */
  mrr: number;
  newLast30Days: number;
  cancelledLast30Days: number;
  trialConversions: number;
};

export type AccessDefault = { accessLevel: AccessLevel; isMetered: boolean };
export type PaywallTexts = { register?: string; subscribe?: string; exhausted?: string };
export type PaywallSettings = {
  anonymousAllowance: number;
  registeredAllowance: number;
  previewParagraphs: number;
  kindAccessDefaults: Partial<Record<Kind, AccessDefault>>;
  paywallTexts: PaywallTexts;
};
export const MAX_ALLOWANCE = 50;
export type PaywallReportRow = {
  articleId: string;
  title: string;
  path: string;
  wallViews: number;
  registrations: number;
  subscriptions: number;
};

/** Amounts in minor units (cents). */
export type Plan = {
  name: string;
  includes: string;
  monthlyAmount: number;
  yearlyAmount: number | null;
  trialDays: number;
  graceDays: number;
  currency: string;
  stripeConnected: boolean;
};

export const OFFER_DURATIONS = ["once", "repeating", "forever"] as const;
export type OfferDuration = (typeof OFFER_DURATIONS)[number];
export type OfferInterval = "month" | "year" | "both";
/** An offer as the API sends it; amounts in minor units (cents). */
export type Offer = {
  id: string;
  code: string;
  name: string;
  percentOff: number | null;
  amountOff: number | null;
  currency: string;
  duration: OfferDuration;
  durationInMonths: number | null;
  appliesTo: OfferInterval;
  maxRedemptions: number | null;
  /** Subscriptions started with the offer. */
  redeemed: number;
  /** Places held by readers at Checkout now. */
  held: number;
  expiresAt: string | null;
  status: "active" | "inactive" | "archived";
  isDefault: boolean;
  stripeCouponId: string | null;
  /** The link to share: PUBLIC_URL/subscribe?offer=CODE. */
  shareUrl: string;
  createdAt: string;
  updatedAt: string;
};

/** One reader as GET /members/:id sends it: account, access, subscriptions, grant and Stripe events. */
export type MemberDetail = {
  member: { id: string; email: string; name: string; createdAt: string; emailVerifiedAt: string | null };
  entitlement: { kind: "registered" | "subscriber" | "complimentary"; until: string | null };
  subscriptions: Subscription[];
  complimentary: { until: string | null; note: string; grantedAt: string } | null;
  stripeEvents: { id: string; type: string; receivedAt: string; stripeSubscriptionId: string | null }[];
};
export type Subscription = {
  stripeSubscriptionId: string;
  /** Stripe's word: active, trialing, past_due, canceled, unpaid… */
  status: string;
  interval: string | null;
  /** Minor units, before any offer. */
  amount: number | null;
  currency: string | null;
  currentPeriodStart: string | null;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: string | null;
  trialStarted: boolean;
  startedAt: string;
  endedAt: string | null;
  offer: { id: string; code: string; name: string } | null;
};

export const STATUS_LABELS: Record<Status, string> = {
  draft: "Draft",
  in_review: "In review",
  scheduled: "Scheduled",
  published: "Published",
  archived: "Archived",
};

const ORDER: Record<Role, number> = { contributor: 0, author: 1, editor: 2, admin: 3, owner: 4 };
/** For showing and hiding controls only; the server decides every request on its own. */
export const atLeast = (staff: Staff, role: Role) => ORDER[staff.role] >= ORDER[role];
