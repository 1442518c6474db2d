export { createPurger, type Fetch, type Purger } from "./purge.js";
export { startPurging, surrogateKeysToPurge } from "./purge-after-change.js";
export { parseBackend, renderVcl, type VclOptions } from "./vcl.js";
