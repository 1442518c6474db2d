/**
 * GET /media/<key>: the stored files, typed by the server's own reading of them and cached for good; and the demo's
 * pictures under /media/demo/.
 */
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import { NotFound } from "../shared/errors.js";
import { contentTypeOf, parseMediaKey } from "../shared/responsive-image.js";
import type { MediaStorage } from "./storage.js";

export type MediaFileDeps = {
  storage: MediaStorage /** The demo's pictures, copied there at seeding. */;
  demoDir: string;
};

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
  await app.register(fastifyStatic, {
    root: deps.demoDir,
    prefix: "/media/demo/",
    decorateReply: false,
    maxAge: "7d",
    immutable: true,
    wildcard: false,
  });
}
