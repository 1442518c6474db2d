import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { API_TYPES_FILE, generateApiTypes } from "../scripts/api-types.js";

test("the newsroom app's API types are the ones the server describes now (else run npm run api:types)", async () => {
  const committed = readFileSync(API_TYPES_FILE, "utf8");
  // Compared whole, not as a snapshot: a server change that alters the contract fails until the file is renewed,
  // and then the app's typecheck shows every place the change reaches.
  expect(committed === (await generateApiTypes()), "admin/src/api-types.ts is out of date: run npm run api:types").toBe(
    true,
  );
});
