/**
 * The newsroom JSON API under /admin/api: CSRF-guarded, TypeBox-validated, each route checked by the policy,
 * and described at /admin/api/openapi.json from the same schemas.
 */
import swagger from "@fastify/swagger";
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { publicAuthRoutes, staffAuthRoutes } from "./accounts/auth-routes.js";
import { STAFF_COOKIE } from "./accounts/staff-sessions.js";
import { guardMutations, requireStaff } from "./api-guard.js";
import { articleRoutes } from "./article-routes.js";
import { curationRoutes } from "./curation-routes.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { jobsRoutes } from "./jobs-routes.js";
import { mediaRoutes } from "./media-routes.js";
import { newslettersRoutes } from "./newsletters-routes.js";
import type { NewsroomDeps } from "./newsroom-deps.js";
import { offersRoutes } from "./offers-routes.js";
import { nameTitledSchemas } from "./openapi-names.js";
import { paywallRoutes } from "./paywall-routes.js";
import { planRoutes } from "./plan-routes.js";
import { readerAccessRoutes, readersRoutes } from "./readers-routes.js";
import { suppressionsRoutes } from "./suppressions-routes.js";
import { taxonomyRoutes } from "./taxonomy-routes.js";

export async function newsroomApiRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  await app.register(
    async (api) => {
      // TypeBox's own checker: unknown properties are refused, not silently dropped as Fastify's ajv setup would.
      api.setValidatorCompiler(TypeBoxValidatorCompiler);
      guardMutations(api, deps.publicUrl);
      // Collects the schemas of the routes registered below into the OpenAPI document.
      await api.register(swagger, {
        openapi: {
          info: { title: "Broadsheet newsroom API", version: "1" },
          servers: [{ url: deps.publicUrl }],
          components: { securitySchemes: { staffSession: { type: "apiKey", in: "cookie", name: STAFF_COOKIE } } },
          security: [{ staffSession: [] }],
        },
        transformObject: (described) => nameTitledSchemas("openapiObject" in described ? described.openapiObject : {}),
      });
      api.get(
        "/openapi.json",
        { schema: { hide: true, response: { 200: Type.Object({}, { additionalProperties: true }) } } },
        async () => api.swagger(),
      );
      await api.register(async (open) => publicAuthRoutes(open, deps));
      await api.register(async (signedIn) => {
        requireStaff(signedIn, deps);
        await staffAuthRoutes(signedIn, deps);
        await articleRoutes(signedIn, deps);
        await taxonomyRoutes(signedIn, deps);
        await mediaRoutes(signedIn, deps);
        await curationRoutes(signedIn, deps);
        await paywallRoutes(signedIn, deps);
        await readersRoutes(signedIn, deps);
        await readerAccessRoutes(signedIn, deps);
        await planRoutes(signedIn, deps);
        await offersRoutes(signedIn, deps);
        await jobsRoutes(signedIn, deps);
        await suppressionsRoutes(signedIn, deps);
        await newslettersRoutes(signedIn, deps);
        await dashboardRoutes(signedIn, deps);
      });
    },
    { prefix: "/admin/api" },
  );
}
