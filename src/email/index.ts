export {
  emailChangedEmail,
  emailChangeEmail,
  magicLinkEmail,
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
export type { Brand } from "./render-email.js";
export type { Mailer } from "./transport.js";
export { createMailer, mailerNotes, OUTBOX_WARNING } from "./transport.js";
