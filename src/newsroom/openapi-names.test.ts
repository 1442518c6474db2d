import { expect, test } from "vitest";
import { nameTitledSchemas } from "./openapi-names.js";

const pick = { title: "Pick", type: "object", properties: { title: { type: "string" } } };

test("a titled schema is named once and referred to wherever it was, its nullability staying at the place", () => {
  const document = {
    info: { title: "API", version: "1" },
    paths: {
      "/home": {
        get: {
          schema: {
            type: "object",
            properties: { lead: { ...pick, nullable: true }, top: { type: "array", items: pick } },
          },
        },
      },
    },
  };
  const named = nameTitledSchemas(document);
  expect(named.paths["/home"].get.schema.properties).toEqual({
    lead: { anyOf: [{ $ref: "#/components/schemas/Pick" }, { type: "object", nullable: true, enum: [null] }] },
    top: { type: "array", items: { $ref: "#/components/schemas/Pick" } },
  });
  expect(named).toMatchObject({ info: { title: "API" }, components: { schemas: { Pick: pick } } });
  expect(document.paths["/home"].get.schema.properties.top.items).toBe(pick);
});

test("two different shapes with one title are refused", () => {
  const other = { title: "Pick", type: "object", properties: { id: { type: "string" } } };
  expect(() => nameTitledSchemas({ a: pick, b: other })).toThrow('Two different schemas are called "Pick"');
});
