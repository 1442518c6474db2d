/** Switching staff accounts off and on over HTTP: sessions end at once, sign-in answers as for a wrong password. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, makeStaff, STAFF_PASSWORD, type StaffAccount, signedInStaff, signInAs } from "../support/newsroom.js";

describe.each(databaseKinds())("staff deactivation on %s", (kind) => {
  let app: TestApp;
  let admin: StaffAccount;

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    admin = await signedInStaff(app, "admin");
  });
  afterAll(() => app.close());

  const post = (as: StaffAccount, path: string) => api(app, "POST", path, { cookie: as.cookie, body: {} });
  const signIn = (email: string, password = STAFF_PASSWORD) =>
    api(app, "POST", "/admin/api/session", { body: { email, password } });

  test("deactivating ends every session of the account at once, on the API and the reader site", async () => {
    const editor = await signedInStaff(app, "editor");
    const secondBrowser = await signInAs(app, editor.email);
    expect((await api(app, "GET", "/admin/api/session", { cookie: secondBrowser })).status).toBe(200);
    const reader = await app.get("/", { headers: { cookie: editor.cookie } });
    expect(await reader.text()).toContain("Staff view");

    const res = await post(admin, `/admin/api/staff/${editor.id}/deactivate`);
    expect(res.status).toBe(200);
    expect((await res.json()).staff).toEqual(
      expect.objectContaining({ id: editor.id, deactivatedAt: expect.any(String) }),
    );
    for (const cookie of [editor.cookie, secondBrowser]) {
      expect((await api(app, "GET", "/admin/api/session", { cookie })).status).toBe(401);
    }
    expect(await (await app.get("/", { headers: { cookie: editor.cookie } })).text()).not.toContain("Staff view");
    const listed = await (await api(app, "GET", "/admin/api/staff", { cookie: admin.cookie })).json();
    expect(listed.staff.find((s: { id: string }) => s.id === editor.id).deactivatedAt).not.toBeNull();
  });

  test("a deactivated account's sign-in gets exactly the answer a wrong password gets; reactivated, it signs in", async () => {
    const author = await makeStaff(app, "author");
    expect((await post(admin, `/admin/api/staff/${author.id}/deactivate`)).status).toBe(200);
    const refused = await signIn(author.email);
    const wrongPassword = await signIn(admin.email, "not the password at all");
    expect(refused.status).toBe(401);
    expect(wrongPassword.status).toBe(401);
    const strip = (body: { errors: { id: string }[] }) => body.errors.map(({ id: _id, ...rest }) => rest);
    expect(strip(await refused.json())).toEqual(strip(await wrongPassword.json()));
    expect(refused.headers.getSetCookie()).toEqual([]);

    const back = await post(admin, `/admin/api/staff/${author.id}/reactivate`);
    expect(back.status).toBe(200);
    expect((await back.json()).staff.deactivatedAt).toBeNull();
    expect((await signIn(author.email)).status).toBe(200);
  });

  test("nobody deactivates the owner, someone above their own role, or themselves; below admin, nobody at all", async () => {
    const owner = await signedInStaff(app, "owner");
    const otherAdmin = await makeStaff(app, "admin");
    const editor = await signedInStaff(app, "editor");
    const contributor = await makeStaff(app, "contributor");
    expect((await post(admin, `/admin/api/staff/${owner.id}/deactivate`)).status).toBe(403);
    expect((await post(owner, `/admin/api/staff/${owner.id}/deactivate`)).status).toBe(403);
    expect((await post(editor, `/admin/api/staff/${contributor.id}/deactivate`)).status).toBe(403);
    const self = await post(admin, `/admin/api/staff/${admin.id}/deactivate`);
    expect(self.status).toBe(409);
    expect((await self.json()).errors[0].code).toBe("CANNOT_DEACTIVATE_SELF");
    expect((await post(admin, `/admin/api/staff/${otherAdmin.id}/deactivate`)).status).toBe(200);
    expect((await post(owner, `/admin/api/staff/${otherAdmin.id}/reactivate`)).status).toBe(200);
    expect((await post(admin, "/admin/api/staff/00000000-0000-4000-8000-000000000000/deactivate")).status).toBe(404);
  });
});
