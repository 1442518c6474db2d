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
export type Ref = { id: string; slug: string; name: string };
export type AccessDefault = { accessLevel: AccessLevel; isMetered: boolean } | null;
export type Section = Ref & {
  description: string;
  position: number;
  accessDefault: AccessDefault;
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
