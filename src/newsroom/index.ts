export type { OwnerStatus } from "./owner-setup.js";
export { ensureOwner, hashPassword } from "./owner-setup.js";
export { setupRoutes } from "./setup-routes.js";
