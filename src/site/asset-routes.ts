/** GET /assets/<file>: the stylesheet, script and fonts, named by their content and cached for good. */
import type { FastifyInstance } from "fastify";
import { cachePolicyHeaders, negotiateEncoding } from "../cache/index.js";
import { NotFound } from "../shared/errors.js";
import type { SiteAssets } from "./assets.js";

export async function assetRoutes(app: FastifyInstance, assets: SiteAssets): Promise<void> {
  app.get<{ Params: { file: string } }>("/assets/:file", async (req, reply) => {
    const file = assets.files.get(req.params.file);
    if (!file) throw new NotFound("ASSET_NOT_FOUND", "No such file");
    // A file that does not shrink (a font) keeps its bytes in place of a copy.
    const copies = (["br", "gzip"] as const).filter((coding) => file[coding] !== file.body);
    const encoding = negotiateEncoding(req.headers["accept-encoding"], copies);
    reply.header("content-type", file.contentType).headers(cachePolicyHeaders("asset"));
    if (encoding !== "identity") reply.header("content-encoding", encoding);
    return reply.send(encoding === "identity" ? file.body : file[encoding]);
  });
}
