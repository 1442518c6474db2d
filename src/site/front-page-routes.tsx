/** `/`: the front page, one cached copy per reader class, left at the front door for the class alone to answer. */
import type { FastifyInstance } from "fastify";
import type { PageCache } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { homeJsonLd } from "../distribution/index.js";
import type { Clock } from "../shared/clock.js";
import type { RememberClassPage } from "./cookie-decisions.js";
import type { FrameLoader } from "./frame-loader.js";
import type { ReaderOf } from "./reader.js";
import { type AdmitWork, framedPage, renderDocument, servePage } from "./serve-page.js";
import { HomePage } from "./views/home-page.js";

export type FrontPageRouteDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  admit: AdmitWork;
  readerOf: ReaderOf;
  loadFrame: FrameLoader["loadFrame"];
  rememberClassPage: RememberClassPage;
};

export async function frontPageRoutes(app: FastifyInstance, deps: FrontPageRouteDeps): Promise<void> {
  app.get("/", async (req, reply) => {
    const { cacheClass } = await deps.readerOf(req, reply);
    deps.rememberClassPage(req, (readerClass) => `${readerClass}:/`);
    return servePage(deps.cache, {
      req,
      reply,
      key: `${cacheClass}:/`,
      render: async () => {
        await deps.admit("pages", reply.raw);
        const frame = await deps.loadFrame(cacheClass);
        const home = await content.findHomePage(deps.db, frame.sections);
        // Refreshed by the rounds' check (app/rounds.ts), which drops `home` when the list changes.
        const mostRead = await content.findMostRead(deps.db, deps.clock.now());
        const shown = [
          ...mostRead.articles,
          home.lead,
          ...home.top,
          ...home.latest,
          ...home.analysis,
          ...home.opinion,
          ...home.bySection.flatMap((b) => b.articles),
        ];
        const html = renderDocument(
          <HomePage frame={frame} home={home} mostRead={mostRead} jsonLd={homeJsonLd(frame)} />,
        );
        return framedPage(frame, 200, html, [
          cacheTags.home,
          ...shown.flatMap((a) => (a ? [cacheTags.article(a.id)] : [])),
        ]);
      },
    });
  });
}
