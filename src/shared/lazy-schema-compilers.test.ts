import Fastify from "fastify";
import { describe, expect, test } from "vitest";
import { lazyRequestValidators, lazyResponseSerializers } from "./lazy-schema-compilers.js";

const lazyApp = () =>
  Fastify({
    schemaController: {
      compilersFactory: { buildValidator: lazyRequestValidators(), buildSerializer: lazyResponseSerializers() },
    },
  });

describe("request validators compiled on first use", () => {
  test("inputs are coerced and checked as with Fastify's own validator, and a failure names the property", async () => {
    const app = lazyApp();
    const schema = {
      querystring: { type: "object", properties: { page: { type: "integer", minimum: 1 } } },
      body: { type: "object", required: ["title"], properties: { title: { type: "string" } } },
    };
    app.post("/articles", { schema }, async (req) => ({ page: (req.query as { page?: number }).page }));
    const ok = await app.inject({ method: "POST", url: "/articles?page=2", payload: { title: "Ferry strike" } });
    expect(ok.json()).toEqual({ page: 2 });
    const missing = await app.inject({ method: "POST", url: "/articles", payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain("must have required property 'title'");
    const badPage = await app.inject({ method: "POST", url: "/articles?page=0", payload: { title: "x" } });
    expect(badPage.json().message).toContain("querystring/page must be >= 1");
    await app.close();
  });

  test("a schema is compiled by its route's first request, not when the server starts", async () => {
    const app = lazyApp();
    const broken = { type: "object", properties: { page: { $ref: "#/definitions/missing" } } };
    app.get("/broken", { schema: { querystring: broken } }, async () => ({}));
    await app.ready();
    expect((await app.inject("/broken")).statusCode).toBe(500);
    await app.close();
  });
});

describe("response serializers compiled on first use", () => {
  test("a response schema is the allow-list of what is sent, as with Fastify's own serializer", async () => {
    const app = lazyApp();
    const Article = { type: "object", properties: { title: { type: "string" } }, additionalProperties: false };
    for (const url of ["/a", "/b"]) {
      app.get(url, { schema: { response: { 200: Article } } }, async () => ({ title: "Ferry strike", secret: "x" }));
    }
    for (const url of ["/a", "/b", "/a"]) expect((await app.inject(url)).json()).toEqual({ title: "Ferry strike" });
    await app.close();
  });

  test("a schema is compiled by its route's first response, not when the server starts", async () => {
    const app = lazyApp();
    const broken = { type: "object", properties: { title: { $ref: "#/definitions/missing" } } };
    app.get("/broken", { schema: { response: { 200: broken } } }, async () => ({ title: "x" }));
    await app.ready();
    expect((await app.inject("/broken")).statusCode).toBe(500);
    await app.close();
  });
});
