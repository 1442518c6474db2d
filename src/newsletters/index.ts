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
  getNewsletter,
  listActiveNewsletters,
  listNewsletters,
  restoreNewsletter,
} from "./manage-newsletters.js";
export { NEWSLETTER_CADENCES, NEWSLETTER_STATUSES, NEWSLETTER_VISIBILITIES } from "./schema.js";
export { seedDemoNewsletters } from "./seed-demo.js";
