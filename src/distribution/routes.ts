/** Feeds, sitemaps and robots.txt: the addresses other software reads the paper from. */
import type { FastifyInstance } from "fastify";
import type { PageCache } from "../cache/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { feedRoutes } from "./feed-routes.js";
import { sitemapRoutes } from "./sitemap-routes.js";

export type DistributionDeps = { db: Db; cache: PageCache; clock: Clock; publicUrl: string };

export async function distributionRoutes(app: FastifyInstance, deps: DistributionDeps): Promise<void> {
  feedRoutes(app, deps);
  sitemapRoutes(app, deps);
}
