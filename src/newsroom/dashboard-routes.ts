/**
 * The dashboard (/admin/api/dashboard): today's figures with a series per day for the small charts, and the most
 * read articles; and one article's views per hour after publishing (/admin/api/articles/:id/views). Editors and up.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as billing from "../billing/index.js";
import * as content from "../content/index.js";
import * as members from "../members/index.js";
import { dayRangeEnding, daysOf } from "../shared/day-range.js";
import { NotFound } from "../shared/errors.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, IdParams } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const HOUR_MS = 3_600_000;
const Count = Type.Integer({ minimum: 0 });
const Series = Type.Array(Count, { description: "One figure per day of `days`, oldest first; the last is today" });
const DashboardQuery = closed({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, description: "How many days the series cover (14)" })),
  mostRead: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: "How many articles to list (10)" })),
});
const MostViewed = closed(
  { id: Type.String(), title: Type.String(), path: Type.String(), views: Count },
  { title: "MostViewedArticle" },
);
const Dashboard = closed(
  {
    timeZone: Type.String(),
    days: Type.Array(Type.String({ format: "date" }), { description: "The days of the series, in the paper's zone" }),
    published: Series,
    views: Series,
    signUps: Series,
    subscriptions: Series,
    mostRead: Type.Array(MostViewed, { description: "Published articles read most in the last 24 hours" }),
  },
  { title: "Dashboard" },
);
const ViewsQuery = closed({
  hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 14, description: "Hours after publishing (72)" })),
});
const ArticleViews = closed(
  {
    from: Type.Union([Type.String({ format: "date-time" }), Type.Null()], {
      description: "The hour the article was first published in; null if it never was",
    }),
    views: Type.Array(Count, { description: "Views per hour from `from`, up to now" }),
  },
  { title: "ArticleViews" },
);

export async function dashboardRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/dashboard", { schema: { querystring: DashboardQuery, response: { 200: Dashboard } } }, async (req) => {
    authorize(actorOf(req), "dashboard.read", undefined);
    const now = deps.clock.now();
    const { timeZone } = await content.getSettings(deps.db);
    const range = dayRangeEnding(now, timeZone, req.query.days ?? 14);
    const [published, views, signUps, subscriptions, mostRead] = await Promise.all([
      content.countPublishedByDay(deps.db, range),
      content.countReadsByDay(deps.db, range),
      members.countSignUpsByDay(deps.db, range),
      billing.countNewSubscriptionsByDay(deps.db, range),
      content.listMostViewed(deps.db, {
        since: new Date(now.getTime() - 24 * HOUR_MS),
        limit: req.query.mostRead ?? 10,
      }),
    ]);
    return { timeZone, days: daysOf(range), published, views, signUps, subscriptions, mostRead };
  });

  api.get(
    "/articles/:id/views",
    { schema: { params: IdParams, querystring: ViewsQuery, response: { 200: ArticleViews } } },
    async (req) => {
      authorize(actorOf(req), "dashboard.read", undefined);
      const found = await content.listViewsByHour(deps.db, {
        articleId: req.params.id,
        hours: req.query.hours ?? 72,
        now: deps.clock.now(),
      });
      if (!found) throw new NotFound("ARTICLE_NOT_FOUND", "There is no article with that id");
      return { from: found.from?.toISOString() ?? null, views: found.views };
    },
  );
}
