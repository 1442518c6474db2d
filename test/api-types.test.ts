import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { API_TYPES_FILE, generateApiTypes, newsroomOpenApi } from "../scripts/api-types.js";
import { startApp } from "./support/app.js";

test("the newsroom app's API types are the ones the server describes now (else run npm run api:types)", async () => {
  const committed = readFileSync(API_TYPES_FILE, "utf8");
  // Compared whole, not as a snapshot: a server change that alters the contract fails until the file is renewed,
  // and then the app's typecheck shows every place the change reaches.
  expect(committed === (await generateApiTypes()), "admin/src/api-types.ts is out of date: run npm run api:types").toBe(
    true,
  );
});

test("the types come from the document the running server answers at /admin/api/openapi.json", async () => {
  const app = await startApp({ template: "empty" });
  try {
    const served = await (await app.get("/admin/api/openapi.json")).json();
    // Only the server's address differs: it is the site's PUBLIC_URL, and no type depends on it.
    expect({ ...served, servers: [] }).toEqual({ ...(await newsroomOpenApi()), servers: [] });
  } finally {
    await app.close();
  }
});
