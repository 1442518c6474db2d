export { createPurger, type Fetch, type Purger } from "./purge.js";
export { CDN_PURGE_JOB, enqueuePurge, purgeHandler, surrogateKeysToPurge } from "./purge-after-change.js";
export { parseBackend, renderVcl, type VclOptions } from "./vcl.js";
