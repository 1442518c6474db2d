/**
 * Who may do what in the newsroom: the one place that says so. Pure: the routes pass the signed-in staff
 * member and what they act on, and refuse with 403 when this says no.
 */
import type { ArticleStatus, StaffRole } from "../content/index.js";

export const ROLES: readonly StaffRole[] = ["contributor", "author", "editor", "admin", "owner"];

export type Actor = { id: string; role: StaffRole };
export type ArticleRef = { authorIds: readonly string[]; status: ArticleStatus };

type Resources = {
  "article.list": undefined;
  "article.create": undefined;
  "article.read": ArticleRef;
  "article.edit": ArticleRef;
  "article.submit": ArticleRef;
  "article.publish": ArticleRef;
  "article.unpublish": ArticleRef;
  "article.correct": ArticleRef;
  /** Signed links showing the article as a reader would: whoever may read it in the newsroom. */
  "article.preview": ArticleRef;
  /** Marking an article featured: curation, the editors' call. */
  "article.flag": undefined;
  /** Setting an article's byline to anyone at all, taking people off it included: the editors' call. */
  "article.reassign": undefined;
  "taxonomy.manage": undefined;
  /** The media library: every staff member, from contributor up, browses it and uploads images. */
  "media.list": undefined;
  "media.upload": undefined;
  /** Alt text, caption and credit: below editor, only of the images one uploaded. */
  "media.describe": { uploadedBy: string | null };
  /** The front page's lead and top stories, and the breaking-news strip: the editors' call. */
  "home.curate": undefined;
  "breaking.manage": undefined;
  /** The paper's name, look, language, time zone, currency, social accounts, masthead and footer. */
  "settings.manage": undefined;
  "staff.list": undefined;
  /** Colleagues' email addresses, roles and account state in the staff list; below it, names and ids. */
  "staff.read-details": undefined;
  "staff.invite": { role: StaffRole };
  "staff.change-role": { from: StaffRole; to: StaffRole };
  /** Switching an account off or on again; the resource is the account's role. */
  "staff.deactivate": { role: StaffRole };
  "invitation.list": undefined;
  "outbox.read": undefined;
  /** The background queue: waiting, running and failed jobs with their errors. */
  "jobs.read": undefined;
  /** A failed job queued again (a purge the CDN refused, a message the mail server turned away). */
  "jobs.retry": undefined;
  /** The suppression list: addresses bulk mail skips; reading it and changing it by hand. */
  "suppressions.read": undefined;
  "suppressions.change": undefined;
  "ownership.transfer": undefined;
  /** The paywall's settings and which articles sell: editors read them, admins change them. */
  "paywall.read": undefined;
  "paywall.configure": undefined;
  /** Readers' accounts and the paper's revenue: personal data, for admins. */
  "members.read": undefined;
  "members.grant": undefined;
  /** Ending a reader's subscription at Stripe, and deleting a reader's account (which ends it first). */
  "members.cancel": undefined;
  "members.delete": undefined;
  /** Offers: discounts shared as links, with their Stripe coupons; money, so admins. */
  "offers.manage": undefined;
  /** Newsletters: what readers may choose, and sending an article to their subscribers: the editors' call. */
  "newsletters.manage": undefined;
  "newsletters.send": undefined;
  /** The dashboard's figures (published, views, sign-ups, subscriptions, most read) and an article's views. */
  "dashboard.read": undefined;
};

export type Action = keyof Resources;
/** The actions on one article, whose resource is its authors and status. */
export type ArticleAction = { [A in Action]: Resources[A] extends ArticleRef ? A : never }[Action];

export function rankOf(role: StaffRole): number {
  return ROLES.indexOf(role);
}

function atLeast(actor: Actor, role: StaffRole): boolean {
  return rankOf(actor.role) >= rankOf(role);
}

function isAuthorOf(actor: Actor, article: ArticleRef): boolean {
  return article.authorIds.includes(actor.id);
}

/** Contributors work on their own drafts; once an article is scheduled or published it is out of their hands. */
function isContributorWork(article: ArticleRef): boolean {
  return article.status === "draft" || article.status === "in_review";
}

/** Roles one may hand out: up to one's own, never "owner" (ownership moves only by transfer). */
function mayGrant(actor: Actor, role: StaffRole): boolean {
  return atLeast(actor, "admin") && role !== "owner" && rankOf(role) <= rankOf(actor.role);
}

const RULES: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
  "article.list": () => true,
  "article.create": () => true,
  "article.read": (actor, article) =>
    atLeast(actor, "editor") || isAuthorOf(actor, article) || article.status === "published",
  "article.edit": (actor, article) =>
    atLeast(actor, "editor") ||
    (isAuthorOf(actor, article) && (atLeast(actor, "author") || isContributorWork(article))),
  "article.submit": (actor, article) => atLeast(actor, "editor") || isAuthorOf(actor, article),
  "article.publish": (actor, article) =>
    atLeast(actor, "editor") || (atLeast(actor, "author") && isAuthorOf(actor, article)),
  "article.unpublish": (actor, article) =>
    atLeast(actor, "editor") || (atLeast(actor, "author") && isAuthorOf(actor, article)),
  "article.correct": (actor, article) =>
    atLeast(actor, "editor") || (atLeast(actor, "author") && isAuthorOf(actor, article)),
  "article.flag": (actor) => atLeast(actor, "editor"),
  "article.reassign": (actor) => atLeast(actor, "editor"),
  "article.preview": (actor, article) => RULES["article.read"](actor, article),
  "taxonomy.manage": (actor) => atLeast(actor, "editor"),
  "media.list": (actor) => atLeast(actor, "contributor"),
  "media.upload": (actor) => atLeast(actor, "contributor"),
  "media.describe": (actor, image) => atLeast(actor, "editor") || image.uploadedBy === actor.id,
  "home.curate": (actor) => atLeast(actor, "editor"),
  "breaking.manage": (actor) => atLeast(actor, "editor"),
  "settings.manage": (actor) => atLeast(actor, "admin"),
  "staff.list": () => true,
  "staff.read-details": (actor) => atLeast(actor, "editor"),
  "staff.invite": (actor, { role }) => mayGrant(actor, role),
  "staff.change-role": (actor, { from, to }) => from !== "owner" && mayGrant(actor, from) && mayGrant(actor, to),
  "staff.deactivate": (actor, { role }) =>
    atLeast(actor, "admin") && role !== "owner" && rankOf(role) <= rankOf(actor.role),
  "invitation.list": (actor) => atLeast(actor, "admin"),
  "outbox.read": (actor) => atLeast(actor, "admin"),
  "jobs.read": (actor) => atLeast(actor, "admin"),
  "jobs.retry": (actor) => atLeast(actor, "admin"),
  "suppressions.read": (actor) => atLeast(actor, "admin"),
  "suppressions.change": (actor) => atLeast(actor, "admin"),
  "ownership.transfer": (actor) => actor.role === "owner",
  "paywall.read": (actor) => atLeast(actor, "editor"),
  "paywall.configure": (actor) => atLeast(actor, "admin"),
  "members.read": (actor) => atLeast(actor, "admin"),
  "members.grant": (actor) => atLeast(actor, "admin"),
  "members.cancel": (actor) => atLeast(actor, "admin"),
  "members.delete": (actor) => atLeast(actor, "admin"),
  "offers.manage": (actor) => atLeast(actor, "admin"),
  "newsletters.manage": (actor) => atLeast(actor, "editor"),
  "newsletters.send": (actor) => atLeast(actor, "editor"),
  "dashboard.read": (actor) => atLeast(actor, "editor"),
};

export function can<A extends Action>(actor: Actor, action: A, resource: Resources[A]): boolean {
  return RULES[action](actor, resource);
}

export type BylineChange = { before: readonly string[]; after: readonly string[] };
export type BylineDecision =
  | { kind: "allowed" }
  | { kind: "refused"; code: "BYLINE_WITHOUT_YOU" | "BYLINE_DROPS_COLLEAGUE"; message: string };

/**
 * Whether `actor` may change an article's byline from `before` to `after` (`before` is empty for a new
 * article). Editors and up set any byline. Below editor one adds co-authors and reorders names, but stays on it
 * and takes no one else off: otherwise an author could hand a piece to someone else, or take a colleague's name
 * off their shared work.
 */
export function decideByline(actor: Actor, change: BylineChange): BylineDecision {
  if (can(actor, "article.reassign", undefined)) return { kind: "allowed" };
  if (!change.after.includes(actor.id)) {
    return {
      kind: "refused",
      code: "BYLINE_WITHOUT_YOU",
      message: "You cannot take your own name off this byline, nor credit the article only to others",
    };
  }
  if (change.before.some((id) => !change.after.includes(id))) {
    return {
      kind: "refused",
      code: "BYLINE_DROPS_COLLEAGUE",
      message: "You can add co-authors to this byline, but not take anyone off it",
    };
  }
  return { kind: "allowed" };
}
