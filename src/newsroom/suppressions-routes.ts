/**
 * The suppression list as admins see it (/admin/api/suppressions): the addresses bulk mail skips and why; an
 * address added by hand (`manual`) or taken off the list.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as email from "../email/index.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const Reason = Type.Union(email.SUPPRESSION_REASONS.map((r) => Type.Literal(r)));
// The shape an address must have: one @, no spaces, at most 320 characters (RFC 5321's limit).
const Address = Type.String({ minLength: 3, maxLength: 320, pattern: "^[^\\s@]+@[^\\s@]+$" });
const SuppressionView = closed(
  { address: Type.String(), reason: Reason, source: Type.String(), detail: Type.String(), createdAt: DATE_TIME },
  { title: "Suppression" },
);
const ListQuery = closed({
  reason: Type.Optional(Reason),
  // A UTC time as the list gives it (`createdAt`): the page before it.
  before: Type.Optional(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?Z$" })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: "Part of the address" })),
});
const AddBody = closed({ address: Address, detail: Type.Optional(Type.String({ maxLength: 1000 })) });
const AddressParams = closed({ address: Address });

export async function suppressionsRoutes(app: FastifyInstance, deps: Pick<NewsroomDeps, "db" | "clock">) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/suppressions",
    { schema: { querystring: ListQuery, response: { 200: closed({ suppressions: Type.Array(SuppressionView) }) } } },
    async (req, reply) => {
      authorize(actorOf(req), "suppressions.read", undefined);
      reply.header("cache-control", "no-store");
      const { reason, before, q, limit = 100 } = req.query;
      const after = before ? new Date(before) : undefined;
      if (after && Number.isNaN(after.getTime())) {
        throw new Invalid("INVALID_TIME", "before is not a time.", { property: "before" });
      }
      const options = {
        limit,
        ...(reason ? { reason } : {}),
        ...(after ? { before: after } : {}),
        ...(q?.trim() ? { contains: q } : {}),
      };
      return { suppressions: await email.listSuppressions(deps.db, options) };
    },
  );
  api.post(
    "/suppressions",
    {
      schema: {
        body: AddBody,
        response: { 200: closed({ suppression: SuppressionView }), 201: closed({ suppression: SuppressionView }) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      authorize(actor, "suppressions.change", undefined);
      const { address, detail = "" } = req.body;
      const entry = { address, reason: "manual", source: `staff:${actor.id}`, detail } as const;
      const added = await email.suppressAddress(deps.db, { ...entry, at: deps.clock.now() });
      const suppression = await email.findSuppression(deps.db, address);
      // Already listed: the first entry stays, and is what is answered.
      if (!suppression) throw new NotFound("SUPPRESSION_NOT_FOUND", "That address was taken off the list meanwhile.");
      return reply.code(added ? 201 : 200).send({ suppression });
    },
  );
  api.delete(
    "/suppressions/:address",
    { schema: { params: AddressParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      authorize(actorOf(req), "suppressions.change", undefined);
      if (!(await email.removeSuppression(deps.db, req.params.address))) {
        throw new NotFound("SUPPRESSION_NOT_FOUND", "That address is not on the suppression list.");
      }
      return reply.code(204).send(null);
    },
  );
}
