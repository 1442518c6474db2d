/**
 * GET /media/<key>: the stored files, typed by the server's own reading of them and cached for good; and the demo's
 * pictures under /media/demo/.
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { NotFound } from "../shared/errors.js";
import { contentTypeOf, parseMediaKey } from "../shared/responsive-image.js";
import type { MediaStorage } from "./storage.js";

export type MediaFileDeps = { storage: MediaStorage };

export async function mediaFileRoutes(app: FastifyInstance, deps: MediaFileDeps): Promise<void> {
  app.get<{ Params: { key: string } }>("/media/:key", async (req, reply) => {
    const key = parseMediaKey(req.params.key);
    const file = key && (await deps.storage.get(req.params.key));
    if (!key || !file) throw new NotFound("MEDIA_NOT_FOUND", "There is no image at this address.");
    // A key names one file's content forever (a new upload gets a new id), so it can be cached for good.
    return reply
      .header("content-type", contentTypeOf(key))
      .header("content-length", String(file.size))
      .header("x-content-type-options", "nosniff")
      .header("cache-control", "public, max-age=31536000, immutable")
      .send(file.body);
  });
}

/**
 * The demo's pictures, copied to `demoDir` at seeding. Registered once the demo is seeded: the folder's files are
 * listed when this is registered, each its own route (`wildcard: false`), so later ones would not be served.
 */
export async function demoPictureRoutes(app: FastifyInstance, demoDir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: demoDir,
    prefix: "/media/demo/",
    decorateReply: false,
    maxAge: "7d",
    immutable: true,
    wildcard: false,
  });
}
