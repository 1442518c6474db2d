export { replyFromCache, sendCached } from "./cached-response.js";
export { createFrontDoor } from "./front-door.js";
export type { CacheInvalidator } from "./invalidation.js";
export { startCacheInvalidation } from "./invalidation.js";
export { negotiateEncoding } from "./negotiate-encoding.js";
export type { AddressAnswerer, CachedPage, DecidedAnswer, PageCache, RenderTicket } from "./page-cache.js";
export { createPageCache } from "./page-cache.js";
