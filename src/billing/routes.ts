/** POST /webhooks/stripe: Stripe's deliveries, verified on the exact bytes Stripe signed. */
import type { FastifyInstance } from "fastify";
import type { BillingDeps } from "./deps.js";
import { handleWebhook } from "./service.js";

export async function billingWebhookRoutes(app: FastifyInstance, deps: BillingDeps): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the raw body: keep the bytes, parse nothing before verifying.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 512 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.post("/webhooks/stripe", async (req, reply) => {
      const signature = req.headers["stripe-signature"];
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const result = await handleWebhook(deps, body, typeof signature === "string" ? signature : undefined);
      return reply.code(200).send({ received: true, result });
    });
  });
}
