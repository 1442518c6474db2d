/**
 * Serves the newsroom app (admin/, built by Vite into admin/dist): hashed assets cached for good, and the one
 * HTML page for every /admin address the app routes itself. Server-rendered /admin pages (setup, invitation,
 * reset) and /admin/api are more specific routes and win.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { fromCodeRoot } from "../shared/code-root.js";
import { NotFound } from "../shared/errors.js";

export const NEWSROOM_APP_DIR = fromCodeRoot("../admin/dist/");

export async function newsroomAppRoutes(app: FastifyInstance, appDir = NEWSROOM_APP_DIR): Promise<void> {
  const indexFile = join(appDir, "index.html");
  const index = existsSync(indexFile) ? readFileSync(indexFile, "utf8") : null;

  if (index) {
    await app.register(fastifyStatic, {
      root: join(appDir, "assets"),
      prefix: "/admin/assets/",
      decorateReply: false,
      maxAge: "365d",
      immutable: true,
    });
  }

  const sendApp = async (_req: unknown, reply: FastifyReply) => {
    if (!index) {
      return reply
        .code(503)
        .header("content-type", "text/plain; charset=utf-8")
        .send("The newsroom app is not built yet. Run `npm run build` (or `npm start`, which builds it).");
    }
    // The page names the current hashed assets, so it is fetched anew each time; it holds no data.
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("x-robots-tag", "noindex")
      .send(index);
  };
  app.get("/admin", sendApp);
  app.get("/admin/*", async (req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (path.startsWith("/admin/api/") || path.startsWith("/admin/assets/")) {
      throw new NotFound("NOT_FOUND", "There is nothing at this address");
    }
    return sendApp(req, reply);
  });
}
