export {
  emailChangeEmail,
  magicLinkEmail,
  paymentFailedEmail,
  subscriptionCancelledEmail,
  subscriptionEndingEmail,
  subscriptionStartedEmail,
  welcomeEmail,
} from "./messages.js";
export type { Brand } from "./render-email.js";
export type { Mailer } from "./transport.js";
export { createMailer } from "./transport.js";
