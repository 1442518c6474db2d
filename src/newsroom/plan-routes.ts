/** The subscription plan (/admin/api/plan) and the revenue it brings (/admin/api/revenue). */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as billing from "../billing/index.js";
import * as content from "../content/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const Revenue = closed(
  {
    currency: Type.String(),
    activeSubscribers: Type.Integer(),
    trialing: Type.Integer(),
    pastDue: Type.Integer(),
    mrr: Type.Integer({ description: "Monthly recurring revenue in minor units (cents)" }),
    newLast30Days: Type.Integer(),
    cancelledLast30Days: Type.Integer(),
    trialConversions: Type.Integer(),
  },
  { title: "Revenue" },
);
const Amount = Type.Integer({ minimum: 50, maximum: 1_000_000, description: "Minor units (cents)" });
const PlanBody = closed({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  includes: Type.String({ minLength: 1, maxLength: 500 }),
  monthlyAmount: Amount,
  yearlyAmount: Type.Union([Amount, Type.Null()]),
  trialDays: Type.Integer({ minimum: 0, maximum: 365 }),
  graceDays: Type.Integer({ minimum: 0, maximum: 60 }),
});
const PlanView = closed(
  {
    ...PlanBody.properties,
    currency: Type.String(),
    stripeConnected: Type.Boolean({ description: "False: set STRIPE_SECRET_KEY to take payments" }),
  },
  { title: "Plan" },
);

export async function planRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const planView = async (plan: billing.Plan) => ({
    name: plan.name,
    includes: plan.includes,
    monthlyAmount: plan.monthlyAmount,
    yearlyAmount: plan.yearlyAmount,
    trialDays: plan.trialDays,
    graceDays: plan.graceDays,
    currency: (await content.getSettings(deps.db)).currency,
    stripeConnected: Boolean(deps.billing.stripe),
  });

  api.get("/plan", { schema: { response: { 200: PlanView } } }, async (req) => {
    authorize(actorOf(req), "paywall.read", undefined);
    return planView(await billing.getPlan(deps.db));
  });

  api.put("/plan", { schema: { body: PlanBody, response: { 200: PlanView } } }, async (req) => {
    authorize(actorOf(req), "paywall.configure", undefined);
    // The paywall box names the price: every page is dropped.
    const { plan } = await deps.invalidator.commit(async (tx) => ({
      plan: await billing.savePlan(tx, req.body),
      invalidates: [content.cacheTags.site],
    }));
    return planView(plan);
  });

  api.get("/revenue", { schema: { response: { 200: Revenue } } }, async (req) => {
    authorize(actorOf(req), "members.read", undefined);
    const { currency } = await content.getSettings(deps.db);
    return billing.revenueSummary(deps.db, deps.clock.now(), currency);
  });
}
