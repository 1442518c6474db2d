/**
 * A NUL character (U+0000) anywhere in a request's input is refused with a 400 naming the field, before any
 * route reads or writes: PostgreSQL text cannot hold it, and the query would otherwise fail with a 500.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { paragraphsDoc } from "../support/make.js";
import { postForm, signIn } from "../support/members.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
let admin: StaffAccount;
let memberCookie: string;
let contentKey: string;
let sectionId: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startApp({ template: "empty", env: { SMTP_URL: smtp.url } });
  admin = await signedInStaff(app, "admin");
  memberCookie = await signIn(app, smtp, "reader@example.test");
  contentKey = (await createContentApiKey(app.db, "nul tests")).key;
  sectionId = (await app.make.section({ name: "Harbour" })).id;
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

const NUL = "\u0000";
const articleFields = () => ({
  title: "Harbour tolls rise",
  kind: "news",
  sectionId,
  authorIds: [admin.id],
  body: paragraphsDoc(["First paragraph.", "Second paragraph."]),
});
const ghost = (path: string) => app.get(`/ghost/api/content${path}${path.includes("?") ? "&" : "?"}key=${contentKey}`);

/** Everything these requests could write, so the test sees that none of them wrote anything. */
async function written() {
  const [row] = await queryRows(
    app.db,
    sql`SELECT (SELECT count(*) FROM articles)::int AS articles, (SELECT count(*) FROM tags)::int AS tags,
      (SELECT count(*) FROM members)::int AS members, (SELECT count(*) FROM member_tokens)::int AS tokens,
      (SELECT string_agg(name, ',' ORDER BY name) FROM members) AS member_names,
      (SELECT string_agg(name, ',' ORDER BY name) FROM staff) AS staff_names`,
  );
  return row;
}

type Case = { place: string; property: string; send: () => Promise<Response> };

const cases: Case[] = [
  {
    place: "reader sign-in email",
    property: "email",
    send: () => postForm(app, "/signin", { email: `a${NUL}b@example.test` }),
  },
  { place: "search author", property: "author", send: () => app.get("/search?q=harbour&author=%00") },
  { place: "search section", property: "section", send: () => app.get("/search?q=harbour&section=%00") },
  { place: "Content API filter", property: "filter", send: () => ghost("/posts/?filter=slug:'a%00'") },
  { place: "Content API slug", property: "slug", send: () => ghost("/posts/slug/a%00b/") },
  {
    place: "reader's name",
    property: "name",
    send: () => postForm(app, "/account/name", { name: `Mira${NUL}Novak` }, { cookie: memberCookie }),
  },
  {
    place: "article title",
    property: "title",
    send: () =>
      api(app, "POST", "/admin/api/articles", {
        cookie: admin.cookie,
        body: { ...articleFields(), title: `Harbour${NUL}tolls` },
      }),
  },
  {
    place: "article body text",
    property: "body.content.1.content.0.text",
    send: () =>
      api(app, "POST", "/admin/api/articles", {
        cookie: admin.cookie,
        body: { ...articleFields(), body: paragraphsDoc(["First paragraph.", `Second${NUL}paragraph.`]) },
      }),
  },
  {
    place: "tag name",
    property: "name",
    send: () => api(app, "POST", "/admin/api/tags", { cookie: admin.cookie, body: { name: `Ports${NUL}` } }),
  },
  {
    place: "staff profile name",
    property: "name",
    send: () =>
      api(app, "PUT", "/admin/api/profile", {
        cookie: admin.cookie,
        body: { name: `Ada${NUL}Lovelace`, bio: "", xHandle: null },
      }),
  },
  {
    place: "article list search",
    property: "q",
    send: () => api(app, "GET", "/admin/api/articles?q=%00", { cookie: admin.cookie }),
  },
  {
    place: "members list search",
    property: "q",
    send: () => api(app, "GET", "/admin/api/members?q=%00", { cookie: admin.cookie }),
  },
  {
    place: "members import",
    property: "csv",
    send: () =>
      api(app, "POST", "/admin/api/members/import", {
        cookie: admin.cookie,
        body: { csv: `email,name\nnew@example.test,New${NUL}Reader\n` },
      }),
  },
];

describe("a NUL character in a request", () => {
  test.each(cases)("in the $place is refused with a 400 naming $property, and nothing is written", async (c) => {
    const before = await written();
    const res = await c.send();
    const body = await res.text();
    expect(res.status, body).toBe(400);
    if (res.headers.get("content-type")?.startsWith("application/json")) {
      const error = (JSON.parse(body) as { errors: { property: string | null; code: string }[] }).errors[0];
      expect(error?.property).toBe(c.property);
      // The Content API speaks Ghost's error names; the code stays ours.
      expect(error?.code).toBe("NUL_CHARACTER");
    } else {
      expect(body).toContain(`${c.property} contains a NUL character`);
    }
    expect(await written()).toEqual(before);
  });

  test("the same requests without the NUL are served, so the refusals above are the NUL's alone", async () => {
    expect((await app.get("/search?q=harbour&author=ada")).status).toBe(200);
    expect((await ghost("/posts/?filter=slug:'a'")).status).toBe(200);
    expect((await ghost("/posts/slug/ab/")).status).toBe(404);
    expect((await api(app, "GET", "/admin/api/members?q=ab", { cookie: admin.cookie })).status).toBe(200);
  });
});
