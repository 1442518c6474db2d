export { loadSiteAssets } from "./assets.js";
export type { ErrorPageInput } from "./error-pages.js";
export type { SiteDeps } from "./routes.js";
export { siteRoutes } from "./routes.js";
export { SEARCH_CACHE_SHARE, searchCacheKeyOf } from "./search-routes.js";
