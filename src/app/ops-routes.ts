/** What a load balancer or an orchestrator asks: is the process up (/healthz), may it take traffic (/readyz). */
import type { FastifyInstance } from "fastify";
import { type Database, pendingMigrations } from "../db/index.js";

export async function opsRoutes(app: FastifyInstance, database: Database): Promise<void> {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    try {
      const pending = await pendingMigrations(database);
      if (pending.length) return reply.code(503).send({ status: "migrating", pending });
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "database unreachable" });
    }
  });
}
