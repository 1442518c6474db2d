export type { CachedResponse } from "./cached-response.js";
export { cachedResponse, replyFromCache } from "./cached-response.js";
export type { FrontDoor } from "./front-door.js";
export { createFrontDoor } from "./front-door.js";
export type { CacheInvalidator } from "./invalidation.js";
export { startCacheInvalidation } from "./invalidation.js";
export type { CachedPage, PageCache, RenderTicket } from "./page-cache.js";
export { compressedBody, createPageCache, etagFor } from "./page-cache.js";
