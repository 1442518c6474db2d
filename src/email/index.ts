export { pruneMailBodies } from "./mail-bodies.js";
export {
  emailChangedEmail,
  emailChangeEmail,
  magicLinkEmail,
  newsletterConfirmEmail,
  newsletterIssueEmail,
  passwordResetEmail,
  paymentFailedEmail,
  staffInvitationEmail,
  subscriptionCancelledEmail,
  subscriptionEndingEmail,
  subscriptionStartedEmail,
  welcomeEmail,
} from "./messages.js";
export type { OutboxMessage } from "./outbox.js";
export { listOutbox } from "./outbox.js";
export type { PostmarkCredentials } from "./postmark-webhook.js";
export { postmarkWebhookRoutes } from "./postmark-webhook.js";
export type { Brand } from "./render-email.js";
export type { Suppression, SuppressionReason } from "./suppressions.js";
export {
  findSuppression,
  listSuppressions,
  normaliseAddress,
  removeSuppression,
  SUPPRESSION_REASONS,
  suppressAddress,
  suppressedAmong,
} from "./suppressions.js";
export type { Mailer, OutgoingEmail, SendOptions, SharedRecipient } from "./transport.js";
export { createMailer, MAIL_JOB, mailerNotes, mailJobKey, mailJobsInFlight, OUTBOX_WARNING } from "./transport.js";
