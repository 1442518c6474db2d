export type { DistributionDeps } from "./deps.js";
export {
  articleJsonLd,
  breadcrumbJsonLd,
  GATED_SECTION_SELECTOR,
  GATED_TEXT_CLASS,
  homeJsonLd,
} from "./json-ld.js";
export { distributionRoutes } from "./routes.js";
export type { ShareCard } from "./share-image.js";
export { renderShareImage, SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH } from "./share-image.js";
