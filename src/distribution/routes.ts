/** Feeds, sitemaps and robots.txt: the addresses other software reads the paper from. */
import type { FastifyInstance } from "fastify";
import type { DistributionDeps } from "./deps.js";
import { feedRoutes } from "./feed-routes.js";
import { sitemapRoutes } from "./sitemap-routes.js";

export async function distributionRoutes(app: FastifyInstance, deps: DistributionDeps): Promise<void> {
  feedRoutes(app, deps);
  sitemapRoutes(app, deps);
}
