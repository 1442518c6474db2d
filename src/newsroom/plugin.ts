/** Everything the newsroom serves: first-run setup, the /admin/api JSON API, emailed-link pages and the app. */
import type { FastifyInstance } from "fastify";
import { linkPages } from "./accounts/link-pages.js";
import { setupRoutes } from "./accounts/setup-routes.js";
import { newsroomAppRoutes } from "./app-routes.js";
import type { NewsroomDeps } from "./newsroom-deps.js";
import { newsroomApiRoutes } from "./routes.js";

export async function newsroomPlugin(app: FastifyInstance, deps: NewsroomDeps & { stylesheet: string }): Promise<void> {
  await setupRoutes(app, deps);
  await newsroomApiRoutes(app, deps);
  await linkPages(app, deps);
  await newsroomAppRoutes(app);
}
