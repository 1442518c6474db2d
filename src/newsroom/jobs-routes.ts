/**
 * The background queue as admins see it (/admin/api/jobs): what is waiting, running, and what failed and why; a
 * failed job can be queued again once its cause is fixed (a CDN token renewed, a mail server back).
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { listJobs, retryFailedJob } from "../jobs/index.js";
import { NotFound } from "../shared/errors.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME, IdParams } from "./api-schema.js";
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
  api.post(
    "/jobs/:id/retry",
    {
      schema: {
        params: IdParams,
        body: closed({}),
        response: { 200: closed({ id: Type.String(), kind: Type.String() }) },
      },
    },
    async (req) => {
      authorize(actorOf(req), "jobs.retry", undefined);
      const retried = await retryFailedJob(deps.db, req.params.id);
      if (!retried) throw new NotFound("JOB_NOT_FOUND", "There is no failed job with that id to try again");
      return retried;
    },
  );
}
