/**
 * The server's shapes under the names the app uses, all taken from api-types.ts (generated from the server's
 * OpenAPI document: never written here by hand), and what the app adds to show them: labels and lists.
 */
import type { components } from "./api-types.js";

type Schemas = components["schemas"];

export type Staff = Schemas["Staff"];
/** A line of the staff list: below editor, only a name and an id (the rest is for editors and up). */
export type Colleague = Schemas["Colleague"];
export type Invitation = Schemas["Invitation"];
export type Section = Schemas["Section"];
export type Tag = Schemas["Tag"];
export type AccessDefault = Schemas["AccessDefault"];
export type FeatureImage = Schemas["FeatureImage"];
export type ArticleFields = Schemas["ArticleFields"];
export type ArticleSummary = Schemas["ArticleSummary"];
export type ArticleDetail = Schemas["ArticleDetail"];
export type Correction = Schemas["Correction"];
/** A stale save's 409: nothing was written; the article as saved since, and what this editor sent. */
export type Conflict = Schemas["Conflict"];
export type Revision = Schemas["Revision"];
export type MediaImage = Schemas["MediaImage"];
export type HomePick = Schemas["HomePick"];
export type Breaking = Schemas["Breaking"];
export type Member = Schemas["Member"];
export type MemberDetail = Schemas["MemberDetail"];
export type Subscription = Schemas["Subscription"];
/** Amounts in minor units (cents). */
export type Revenue = Schemas["Revenue"];
export type PaywallSettings = Schemas["PaywallSettings"];
export type PaywallReportRow = Schemas["PaywallReportRow"];
/** Amounts in minor units (cents). */
export type Plan = Schemas["Plan"];
/** Amounts in minor units (cents); `state` says whether its link works now, as the server decides. */
export type Offer = Schemas["Offer"];
export type Newsletter = Schemas["Newsletter"];

export type Role = Staff["role"];
export type Kind = ArticleSummary["kind"];
export type Status = ArticleSummary["status"];
export type AccessLevel = AccessDefault["accessLevel"];
export type PaywallTexts = PaywallSettings["paywallTexts"];
export type MemberState = Member["state"];
export type OfferDuration = Offer["duration"];
export type OfferInterval = Offer["appliesTo"];
export type OfferState = Offer["state"];

/** Every value of one of the server's unions, in the order given: one it adds or drops fails the typecheck. */
const every = <T extends string>(values: Record<T, true>) => Object.keys(values) as T[];

export const KINDS = every<Kind>({ news: true, analysis: true, opinion: true, feature: true, explainer: true });
export const ACCESS_LEVELS = every<AccessLevel>({ public: true, registered: true, paid: true });

export const STATUS_LABELS: Record<Status, string> = {
  draft: "Draft",
  in_review: "In review",
  scheduled: "Scheduled",
  published: "Published",
  archived: "Archived",
};
export const STATUSES = Object.keys(STATUS_LABELS) as Status[];

export const MEMBER_STATE_LABELS: Record<MemberState, string> = {
  free: "Free",
  subscriber: "Subscriber",
  complimentary: "Complimentary",
  past_due: "Past due",
  cancelled: "Cancelled",
};
export const MEMBER_STATES = Object.keys(MEMBER_STATE_LABELS) as MemberState[];

/** The most free articles a month the paywall settings take (the server refuses more). */
export const MAX_ALLOWANCE = 50;

const ORDER: Record<Role, number> = { contributor: 0, author: 1, editor: 2, admin: 3, owner: 4 };
/** From least to most trusted. */
export const ROLES = (Object.keys(ORDER) as Role[]).sort((a, b) => ORDER[a] - ORDER[b]);
/** For showing and hiding controls only; the server decides every request on its own. */
export const atLeast = (staff: Staff, role: Role) => ORDER[staff.role] >= ORDER[role];
