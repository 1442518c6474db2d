export type { CacheInvalidator } from "./invalidation.js";
export { startCacheInvalidation } from "./invalidation.js";
export type { CachedPage, PageCache, RenderTicket } from "./page-cache.js";
export { compressedBody, createPageCache, etagFor } from "./page-cache.js";
