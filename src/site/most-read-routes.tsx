/**
 * `/fragments/most-read`: the "Most read" list under articles, as a fragment of its own that the site's script
 * puts under the article once it has rendered. Article pages never depend on the list: one copy serves every
 * article and reader, cached under `most-read`, which the rounds' check (app/rounds.ts) drops when the list
 * changes, and under each listed article's tag (a new headline, an unpublished article).
 */
import type { FastifyInstance } from "fastify";
import { renderToString } from "preact-render-to-string";
import type { PageCache } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { type AdmitWork, servePage } from "./serve-page.js";
import { MostReadFragment } from "./views/most-read.js";

export const MOST_READ_FRAGMENT_PATH = "/fragments/most-read";

export type MostReadRouteDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  admit: AdmitWork;
  loadSettings: () => Promise<content.SiteSettings>;
};

export async function mostReadRoutes(app: FastifyInstance, deps: MostReadRouteDeps): Promise<void> {
  app.get(MOST_READ_FRAGMENT_PATH, async (req, reply) =>
    servePage(deps.cache, {
      req,
      reply,
      key: `fragment:${MOST_READ_FRAGMENT_PATH}`,
      render: async () => {
        await deps.admit("pages", reply.raw);
        const settings = await deps.loadSettings();
        const now = deps.clock.now();
        // One more than is shown: the article being read is left out by the script.
        const mostRead = await content.findMostRead(deps.db, now, content.MOST_READ_SHOWN + 1);
        const body = renderToString(
          <MostReadFragment mostRead={mostRead} shown={content.MOST_READ_SHOWN} settings={settings} now={now} />,
        );
        return {
          status: 200,
          body,
          tags: [cacheTags.site, cacheTags.mostRead, ...mostRead.articles.map((a) => cacheTags.article(a.id))],
        };
      },
    }),
  );
}
