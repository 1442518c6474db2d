export { replyFromCache, sendCached } from "./cached-response.js";
export { createFrontDoor } from "./front-door.js";
export type { CacheInvalidator } from "./invalidation.js";
export { announceInvalidation, startCacheInvalidation } from "./invalidation.js";
export { negotiateEncoding } from "./negotiate-encoding.js";
export type { AddressAnswerer, CachedPage, DecidedAnswer, PageCache, RenderTicket } from "./page-cache.js";
export { createPageCache, etagFor } from "./page-cache.js";
