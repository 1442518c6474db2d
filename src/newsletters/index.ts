export type { ChoiceSource, NewsletterChoice } from "./choices.js";
export { chooseDefaults, listChoices, saveChoices } from "./choices.js";
export { DIGEST_MAX_ARTICLES } from "./digest-issue.js";
export { newsletterSendHandler } from "./fan-out.js";
export type { ManagedChoices } from "./manage-link.js";
export { openManageLink, savePreferencesByLink, unsubscribeByLink } from "./manage-link.js";
export type {
  Newsletter,
  NewsletterCadence,
  NewsletterChanges,
  NewsletterInput,
  NewsletterVisibility,
} from "./manage-newsletters.js";
export {
  archiveNewsletter,
  changeNewsletter,
  createNewsletter,
  findActiveNewsletterBySlug,
  forgetSection,
  getNewsletter,
  listActiveNewsletters,
  listNewsletters,
  restoreNewsletter,
} from "./manage-newsletters.js";
export type { ReaderClass } from "./preview-issue.js";
export {
  listArticleSends,
  previewIssue,
  READER_CLASSES,
  sendTestIssue,
  TEST_SUBJECT_PREFIX,
} from "./preview-issue.js";
export { DIGEST_LATE_LIMIT_MS, queueDueDigests } from "./queue-digests.js";
export {
  NEWSLETTER_CADENCES,
  NEWSLETTER_STATUSES,
  NEWSLETTER_VISIBILITIES,
  SEND_KINDS,
  SEND_STATUSES,
} from "./schema.js";
export { seedDemoNewsletters } from "./seed-demo.js";
export type { NewsletterSend, SendDeps } from "./send-article.js";
export { NEWSLETTER_SEND_JOB, sendArticle } from "./send-article.js";
export type { SendReport } from "./send-reports.js";
export { cancelSend, listNewsletterSends, SENDS_LISTED } from "./send-reports.js";
export type { SignUpDeps, SignUpResult } from "./sign-up.js";
export {
  canSignUpFromPage,
  checkConfirmLink,
  confirmNewsletterSignUp,
  requestNewsletterSignUp,
} from "./sign-up.js";
export { MAX_TOKEN_LENGTH } from "./signed-links.js";
