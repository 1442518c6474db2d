/** The background queue as admins see it (/admin/api/jobs): what is waiting, running, and what failed and why. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { listJobs } from "../jobs/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const JOB_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
const JobStatus = Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)));
const JobsQuery = closed({
  status: Type.Optional(JobStatus),
  kind: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
const JobView = closed(
  {
    id: Type.String(),
    kind: Type.String(),
    key: Type.Union([Type.String(), Type.Null()]),
    status: JobStatus,
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    runAt: DATE_TIME,
    lastError: Type.Union([Type.String(), Type.Null()]),
    createdAt: DATE_TIME,
    finishedAt: Type.Union([DATE_TIME, Type.Null()]),
  },
  { title: "Job" },
);

export async function jobsRoutes(app: FastifyInstance, deps: Pick<NewsroomDeps, "db">): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/jobs",
    { schema: { querystring: JobsQuery, response: { 200: closed({ jobs: Type.Array(JobView) }) } } },
    async (req, reply) => {
      authorize(actorOf(req), "jobs.read", undefined);
      reply.header("cache-control", "no-store");
      const { status, kind, limit = 100 } = req.query;
      return { jobs: await listJobs(deps.db, { status, kind, limit }) };
    },
  );
}
