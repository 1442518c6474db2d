export type { DistributionDeps } from "./deps.js";
export { articleJsonLd, breadcrumbJsonLd, GATED_SECTION_SELECTOR, homeJsonLd } from "./json-ld.js";
export type { FeedAlternate } from "./render-feed.js";
export { feedAlternates } from "./render-feed.js";
export { distributionRoutes } from "./routes.js";
export type { ShareCard } from "./share-image.js";
export { renderShareImage, SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH } from "./share-image.js";
