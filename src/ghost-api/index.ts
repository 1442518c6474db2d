export type { ContentApiKey } from "./api-keys.js";
export {
  CONTENT_API_KEY_USAGE,
  CONTENT_API_KEYS_TAG,
  createContentApiKey,
  listContentApiKeys,
  revokeContentApiKey,
  runContentApiKeyCommand,
} from "./api-keys.js";
export type { JsonError } from "./ghost-errors.js";
export { GHOST_ERROR_HEADERS, toGhostError } from "./ghost-errors.js";
export type { GhostApiDeps } from "./routes.js";
export { CONTENT_API_CACHE_SHARE, CONTENT_API_PREFIX, ghostContentApiRoutes } from "./routes.js";
