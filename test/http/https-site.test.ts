/** A site whose PUBLIC_URL is https: browsers are told to keep to https, and cookies are bound to the host. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { postForm, tokenFromEmail } from "../support/members.js";
import { makeStaff, STAFF_PASSWORD } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

/** The one Set-Cookie of `name`, checked for what `__Host-` demands: Secure, Path=/ and no Domain. */
function hostCookie(res: Response, name: string): string {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`__Host-${name}=`));
  expect(header, `${name} is set as __Host-${name}`).toBeDefined();
  expect(header).toMatch(/; Secure(;|$)/);
  expect(header).toMatch(/; Path=\/(;|$)/);
  expect(header).not.toMatch(/Domain=/i);
  expect(res.headers.getSetCookie().some((c) => c.startsWith(`${name}=`))).toBe(false);
  return header!.split(";")[0]!;
}

describe("served over https", () => {
  let app: TestApp;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ env: { PUBLIC_URL: "https://news.example.test", SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  test("the staff cookie is __Host-bs_staff, and only that name signs anyone in", async () => {
    const editor = await makeStaff(app, "editor");
    const signedIn = await app.get("/admin/api/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: editor.email, password: STAFF_PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
    const pair = hostCookie(signedIn, "bs_staff");
    expect((await app.get("/admin/api/session", { headers: { cookie: pair } })).status).toBe(200);
    // The same token under the plain name, as a sibling subdomain or an http page could set it: ignored.
    const plain = pair.replace("__Host-", "");
    expect((await app.get("/admin/api/session", { headers: { cookie: plain } })).status).toBe(401);
  });

  test("a reader's session cookie is __Host-bs_session", async () => {
    const email = "https-reader@example.test";
    expect((await postForm(app, "/signin", { email })).status).toBe(200);
    const token = await tokenFromEmail(smtp, email, "/signin/verify");
    const verified = await postForm(app, "/signin/verify", { token });
    expect(verified.status).toBe(303);
    const pair = hostCookie(verified, "bs_session");
    expect(await (await app.get("/account", { headers: { cookie: pair } })).text()).toContain(email);
    expect((await app.get("/account", { headers: { cookie: pair.replace("__Host-", "") } })).status).toBe(303);
  });

  test("the meter cookie is __Host-bs_meter", async () => {
    const article = await app.make.article({ accessLevel: "paid", isMetered: true, previewAfter: 1 });
    const read = await app.get(`/${article.section.slug}/${article.slug}`);
    expect(read.status).toBe(200);
    hostCookie(read, "bs_meter");
  });

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
