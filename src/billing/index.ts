export type { MemberFilter, MemberListItem, Revenue } from "./member-queries.js";
export { listMembers, MEMBER_FILTERS, membersCsv, revenueSummary } from "./member-queries.js";
export type { GrantState, SubscriptionState } from "./paid-access.js";
export { paidAccessFrom } from "./paid-access.js";
export type { Plan, PlanInput } from "./queries.js";
export { forgetStripePrices, getPlan, savePlan } from "./queries.js";
export { billingWebhookRoutes } from "./routes.js";
export type { BillingDeps, Interval, SubscriptionSummary, WebhookResult } from "./service.js";
export {
  cancelSubscriptionsOf,
  confirmCheckout,
  endComplimentary,
  grantComplimentary,
  handleWebhook,
  openPortal,
  reconcile,
  startCheckout,
  subscriptionSummary,
} from "./service.js";
export type { StripeSettings } from "./stripe-client.js";
export { createStripeClient } from "./stripe-client.js";
