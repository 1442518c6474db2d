export { linkPages } from "./link-pages.js";
export type { NewsroomDeps } from "./newsroom-deps.js";
export type { OwnerStatus } from "./owner-setup.js";
export { ensureOwner } from "./owner-setup.js";
export { hashPassword } from "./passwords.js";
export { newsroomApiRoutes } from "./routes.js";
export { setupRoutes } from "./setup-routes.js";
export { createStaffSignInLimits } from "./staff-sign-in.js";
