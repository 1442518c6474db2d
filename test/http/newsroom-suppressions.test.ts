/**
 * /admin/api/suppressions on PGlite and (with TEST_DATABASE_URL) PostgreSQL: admins list the suppression list,
 * add an address by hand and take one off; editors may not; bad input is a 400 that writes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as email from "../../src/email/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

type View = { address: string; reason: string; source: string; detail: string; createdAt: string };

describe.each(databaseKinds())("the suppression list in the newsroom on %s", (kind) => {
  let app: TestApp;
  let admin: StaffAccount;
  let editor: StaffAccount;

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    admin = await signedInStaff(app, "admin");
    editor = await signedInStaff(app, "editor");
  });
  afterAll(async () => {
    await app?.close();
  });

  const list = async (query = "") => {
    const res = await api(app, "GET", `/admin/api/suppressions${query}`, { cookie: admin.cookie });
    const body = (await res.json()) as { suppressions: View[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body.suppressions;
  };

  test("an admin adds an address by hand, sees it with the others, and takes it off", async () => {
    await email.suppressAddress(app.db, {
      address: "bounced@example.test",
      reason: "hard_bounce",
      source: "postmark",
      detail: "HardBounce",
      at: new Date("2001-01-01T00:00:00Z"),
    });
    const added = await api(app, "POST", "/admin/api/suppressions", {
      body: { address: " Asked.Not.To@Example.test ", detail: "asked by phone" },
      cookie: admin.cookie,
    });
    expect(added.status).toBe(400);
    const ok = await api(app, "POST", "/admin/api/suppressions", {
      body: { address: "Asked.Not.To@Example.test", detail: "asked by phone" },
      cookie: admin.cookie,
    });
    expect(ok.status).toBe(201);
    const { suppression } = (await ok.json()) as { suppression: View };
    expect(suppression).toMatchObject({
      address: "asked.not.to@example.test",
      reason: "manual",
      source: `staff:${admin.id}`,
      detail: "asked by phone",
    });
    const again = await api(app, "POST", "/admin/api/suppressions", {
      body: { address: "asked.not.to@example.test" },
      cookie: admin.cookie,
    });
    expect(again.status).toBe(200);

    expect((await list()).map((s) => s.address)).toEqual(["asked.not.to@example.test", "bounced@example.test"]);
    expect((await list("?reason=hard_bounce")).map((s) => s.reason)).toEqual(["hard_bounce"]);
    expect(await list("?limit=1&before=2001-01-01T00:00:00Z")).toEqual([]);
    expect((await list("?before=2001-01-01T00:00:01Z")).map((s) => s.address)).toEqual(["bounced@example.test"]);
    // Search: part of the address, any case; LIKE's own characters match only themselves.
    expect((await list("?q=ASKED.NOT")).map((s) => s.address)).toEqual(["asked.not.to@example.test"]);
    expect((await list("?q=example.test")).map((s) => s.address)).toHaveLength(2);
    expect(await list("?q=%25")).toEqual([]);
    expect(await list("?q=asked_not")).toEqual([]);

    const removed = await api(app, "DELETE", "/admin/api/suppressions/ASKED.NOT.TO%40example.test", {
      cookie: admin.cookie,
    });
    expect(removed.status).toBe(204);
    expect(await email.findSuppression(app.db, "asked.not.to@example.test")).toBeUndefined();
    const gone = await api(app, "DELETE", "/admin/api/suppressions/asked.not.to%40example.test", {
      cookie: admin.cookie,
    });
    expect(gone.status).toBe(404);
    expect(await errorCodeOf(gone)).toBe("SUPPRESSION_NOT_FOUND");
  });

  test("an editor may not read or change it; malformed input is a 400 that writes nothing", async () => {
    expect((await api(app, "GET", "/admin/api/suppressions", { cookie: editor.cookie })).status).toBe(403);
    const byEditor = await api(app, "POST", "/admin/api/suppressions", {
      body: { address: "editor-added@example.test" },
      cookie: editor.cookie,
    });
    expect(byEditor.status).toBe(403);
    expect((await api(app, "GET", "/admin/api/suppressions")).status).toBe(401);
    for (const body of [
      {},
      { address: "no-at-sign" },
      { address: `${"a".repeat(320)}@example.test` },
      { address: "x@example.test", detail: "d".repeat(1001) },
      { address: "x@example.test", reason: "complaint" },
    ]) {
      const res = await api(app, "POST", "/admin/api/suppressions", { body, cookie: admin.cookie });
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
    }
    for (const query of [
      "?reason=other",
      "?limit=0",
      "?limit=501",
      "?before=yesterday",
      "?before=2031-13-45T00:00:00Z",
      "?extra=1",
      "?q=",
      `?q=${"a".repeat(321)}`,
    ]) {
      expect((await api(app, "GET", `/admin/api/suppressions${query}`, { cookie: admin.cookie })).status).toBe(400);
    }
    expect(await email.findSuppression(app.db, "editor-added@example.test")).toBeUndefined();
    expect(await email.findSuppression(app.db, "x@example.test")).toBeUndefined();
  });
});
