export type { DistributionDeps } from "./deps.js";
export {
  articleJsonLd,
  breadcrumbJsonLd,
  GATED_SECTION_SELECTOR,
  GATED_TEXT_CLASS,
  homeJsonLd,
} from "./json-ld.js";
export type { FeedAlternate } from "./render-feed.js";
export { feedAlternates } from "./render-feed.js";
export { distributionRoutes } from "./routes.js";
export { isShareFileName, SHARE_CROPS, shareCropOf, shareImageOf } from "./share-crops.js";
export type { ShareCard } from "./share-image.js";
export { renderShareImage } from "./share-image.js";
export type { WebSubDeps } from "./websub.js";
export { pingHubHandler } from "./websub.js";
