export type { CheckoutInput } from "./checkout.js";
export { startCheckout } from "./checkout.js";
export type { BillingDeps, Interval } from "./deps.js";
export type { MemberDetail } from "./member-detail.js";
export { getMemberDetail } from "./member-detail.js";
export type { MemberFilter, MemberListItem, Revenue } from "./member-queries.js";
export {
  countNewSubscriptionsByDay,
  listMembers,
  MEMBER_FILTERS,
  membersCsv,
  revenueSummary,
} from "./member-queries.js";
export type { OfferRefusal } from "./offer-redemptions.js";
export { offerRefusalOf } from "./offer-redemptions.js";
export type { OfferState } from "./offer-state.js";
export { OFFER_STATES, offerStateOf } from "./offer-state.js";
export type { OfferTerms } from "./offer-terms.js";
export { termsOf } from "./offer-terms.js";
export type { Offer, OfferChanges, OfferInput, OfferLookup } from "./offers.js";
export {
  appliesTo,
  archiveOffer,
  changeOffer,
  createOffer,
  findOfferForReader,
  getOffer,
  listOffers,
  OFFER_CODE_PATTERN,
} from "./offers.js";
export type { GrantState, SubscriptionState } from "./paid-access.js";
export { paidAccessFrom } from "./paid-access.js";
export type { Plan, PlanInput } from "./queries.js";
export { forgetStripePrices, getPlan, savePlan } from "./queries.js";
export { billingWebhookRoutes } from "./routes.js";
export { OFFER_DURATIONS, OFFER_INTERVALS, OFFER_STATUSES } from "./schema.js";
export type { SubscriptionSummary, WebhookResult } from "./service.js";
export {
  cancelSubscriptionFor,
  cancelSubscriptionsOf,
  confirmCheckout,
  endComplimentary,
  grantComplimentary,
  handleWebhook,
  openPortal,
  reconcile,
  subscriptionSummary,
} from "./service.js";
export type { StripeConnection, StripeSettings } from "./stripe-client.js";
export { connectStripe } from "./stripe-client.js";
