import Fastify from "fastify";
import { describe, expect, test } from "vitest";
import { lazyResponseSerializers } from "./response-serializers.js";

function appWith(routes: Record<string, object>) {
  const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: lazyResponseSerializers() } } });
  for (const [url, schema] of Object.entries(routes)) {
    app.get(url, { schema: { response: { 200: schema } } }, async () => ({ title: "Ferry strike", secret: "x" }));
  }
  return app;
}

describe("lazy response serializers", () => {
  test("a response schema is the allow-list of what is sent, as with Fastify's own serializer", async () => {
    const Article = { type: "object", properties: { title: { type: "string" } }, additionalProperties: false };
    const app = appWith({ "/a": Article, "/b": Article });
    for (const url of ["/a", "/b", "/a"]) {
      const res = await app.inject(url);
      expect(res.json()).toEqual({ title: "Ferry strike" });
    }
    await app.close();
  });

  test("a schema is compiled by its route's first response, not when the server starts", async () => {
    const broken = { type: "object", properties: { title: { $ref: "#/definitions/missing" } } };
    const app = appWith({ "/broken": broken });
    await app.ready();
    expect((await app.inject("/broken")).statusCode).toBe(500);
    await app.close();
  });
});
