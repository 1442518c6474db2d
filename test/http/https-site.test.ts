/** A site whose PUBLIC_URL is https: browsers are told to keep to https, and cookies are bound to the host. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

describe("served over https", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ env: { PUBLIC_URL: "https://news.example.test" } });
  });
  afterAll(async () => app.close());

  test("every answer carries Strict-Transport-Security, the front door's repeats included", async () => {
    for (const path of ["/", "/", "/feed", "/no-such-page", "/admin/api/session"]) {
      const res = await app.get(path);
      expect(res.headers.get("strict-transport-security"), path).toBe("max-age=63072000");
    }
  });
});

describe("served over http", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ template: "empty" });
  });
  afterAll(async () => app.close());

  test("no Strict-Transport-Security, which a browser would ignore over http anyway", async () => {
    expect((await app.get("/")).headers.get("strict-transport-security")).toBeNull();
  });
});
