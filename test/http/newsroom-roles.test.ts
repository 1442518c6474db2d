/**
 * The whole role × action matrix, over HTTP against a real server and database: every cell makes its own
 * article or staff member, sends the request as that role, and expects success or 403.
 */
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as billing from "../../src/billing/index.js";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds, type TestDatabaseKind } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";
import { api, type StaffAccount, signedInStaff, uploadFile } from "../support/newsroom.js";

const ROLES: content.StaffRole[] = ["contributor", "author", "editor", "admin", "owner"];
const from = (lowest: content.StaffRole) => ROLES.slice(ROLES.indexOf(lowest));
const ALL = ROLES;
const NOBODY: content.StaffRole[] = [];
const MATRIX_DATABASE: TestDatabaseKind = "pglite";

type Cell = {
  action: string;
  allowed: content.StaffRole[];
  /** The status an allowed request answers with. */
  ok: number;
  send(actor: StaffAccount): Promise<Response>;
};

describe.each(databaseKinds())("roles on %s", (kind) => {
  let app: TestApp;
  const staff = new Map<content.StaffRole, StaffAccount>();
  let colleague: { id: string };
  let section: { id: string; slug: string };
  let png: Buffer;
  let imageId: string;
  let n = 0;

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    for (const role of ROLES) staff.set(role, await signedInStaff(app, role));
    colleague = await content.createStaff(app.db, {
      email: `colleague-${kind}@example.test`,
      name: "Colleague",
      role: "author",
    });
    section = await app.make.section();
    png = await sharp({ create: { width: 32, height: 24, channels: 3, background: "#456" } })
      .png()
      .toBuffer();
    const uploaded = await uploadFile(app, staff.get("owner")!.cookie, { bytes: png, name: "matrix.png" });
    imageId = (await uploaded.json()).image.id;
  });
  afterAll(() => app.close());

  const article = async (authorId: string | string[], status: "draft" | "published") => {
    const deps = { db: app.db, clock: app.built.clock };
    const { id } = await content.createArticle(deps, {
      title: `Matrix article ${++n}`,
      kind: "news",
      sectionId: section.id,
      authorIds: Array.isArray(authorId) ? authorId : [authorId],
      body: paragraphsDoc(["Text."]),
    });
    if (status === "published") await content.publishArticle(deps, { id });
    return id;
  };
  const fields = (authorId: string | string[]) => ({
    title: `Matrix save ${++n}`,
    kind: "news" as const,
    sectionId: section.id,
    authorIds: Array.isArray(authorId) ? authorId : [authorId],
    body: paragraphsDoc(["Saved text."]),
  });
  const target = (role: content.StaffRole) =>
    content.createStaff(app.db, { email: `target-${++n}-${kind}@example.test`, name: `Target ${n}`, role });
  const reader = async () => {
    const [row] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO members (email, created_at) VALUES (${`reader-${++n}-${kind}@example.test`}, now()) RETURNING id`,
    );
    return row!.id;
  };
  const offer = async () =>
    (
      await billing.createOffer(app.built.billing, {
        code: `matrix${++n}${kind}`,
        name: `Matrix offer ${n}`,
        percentOff: 10,
        duration: "once",
        appliesTo: "both",
      })
    ).id;
  const as = (actor: StaffAccount, method: string, path: string, body?: unknown) =>
    api(app, method, path, { cookie: actor.cookie, ...(body === undefined ? {} : { body }) });

  const cells: Cell[] = [
    { action: "list articles", allowed: ALL, ok: 200, send: (a) => as(a, "GET", "/admin/api/articles") },
    {
      action: "create an article of one's own",
      allowed: ALL,
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/articles", fields(a.id)),
    },
    {
      action: "create an article credited only to a colleague",
      allowed: from("editor"),
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/articles", fields(colleague.id)),
    },
    {
      action: "read one's own draft",
      allowed: ALL,
      ok: 200,
      send: async (a) => as(a, "GET", `/admin/api/articles/${await article(a.id, "draft")}`),
    },
    {
      action: "read a colleague's draft",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => as(a, "GET", `/admin/api/articles/${await article(colleague.id, "draft")}`),
    },
    {
      action: "read a colleague's published article",
      allowed: ALL,
      ok: 200,
      send: async (a) => as(a, "GET", `/admin/api/articles/${await article(colleague.id, "published")}`),
    },
    {
      action: "edit one's own draft",
      allowed: ALL,
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "draft")}`, { baseVersion: 1, fields: fields(a.id) }),
    },
    {
      action: "edit one's own published article",
      allowed: from("author"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "published")}`, {
          baseVersion: 2,
          fields: fields(a.id),
        }),
    },
    {
      action: "edit a colleague's draft",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(colleague.id, "draft")}`, {
          baseVersion: 1,
          fields: fields(colleague.id),
        }),
    },
    {
      action: "credit one's own published article only to a colleague",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "published")}`, {
          baseVersion: 2,
          fields: fields(colleague.id),
        }),
    },
    {
      action: "credit one's own draft only to a colleague",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "draft")}`, {
          baseVersion: 1,
          fields: fields(colleague.id),
        }),
    },
    {
      action: "add a co-author to one's own draft",
      allowed: ALL,
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "draft")}`, {
          baseVersion: 1,
          fields: fields([a.id, colleague.id]),
        }),
    },
    {
      action: "add a co-author to one's own published article",
      allowed: from("author"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "published")}`, {
          baseVersion: 2,
          fields: fields([colleague.id, a.id]),
        }),
    },
    {
      action: "take a co-author off a shared draft",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article([colleague.id, a.id], "draft")}`, {
          baseVersion: 1,
          fields: fields(a.id),
        }),
    },
    {
      action: "reassign a colleague's published article to another colleague",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => {
        const other = await target("author");
        return as(a, "PUT", `/admin/api/articles/${await article(colleague.id, "published")}`, {
          baseVersion: 2,
          fields: fields(other.id),
        });
      },
    },
    {
      action: "restore an older byline that leaves oneself off",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => {
        const id = await article(colleague.id, "draft");
        const deps = { db: app.db, clock: app.built.clock };
        const saved = await content.editArticle(deps, { id, baseVersion: 1, fields: fields([colleague.id, a.id]) });
        expect(saved.kind).toBe("saved");
        return as(a, "POST", `/admin/api/articles/${id}/revisions/1/restore`, { baseVersion: 2 });
      },
    },
    {
      action: "restore a revision of a colleague's draft",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "POST", `/admin/api/articles/${await article(colleague.id, "draft")}/revisions/1/restore`, {
          baseVersion: 1,
        }),
    },
    {
      action: "submit one's own draft for review",
      allowed: ALL,
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(a.id, "draft")}/submit`, {}),
    },
    {
      action: "publish one's own draft",
      allowed: from("author"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(a.id, "draft")}/publish`, {}),
    },
    {
      action: "schedule one's own draft",
      allowed: from("author"),
      ok: 200,
      send: async (a) =>
        as(a, "POST", `/admin/api/articles/${await article(a.id, "draft")}/publish`, { at: "2099-01-01T00:00:00Z" }),
    },
    {
      action: "publish a colleague's draft",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(colleague.id, "draft")}/publish`, {}),
    },
    {
      action: "unpublish one's own article",
      allowed: from("author"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(a.id, "published")}/unpublish`, {}),
    },
    {
      action: "unpublish a colleague's article",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(colleague.id, "published")}/unpublish`, {}),
    },
    {
      action: "append a correction to one's own article",
      allowed: from("author"),
      ok: 201,
      send: async (a) =>
        as(a, "POST", `/admin/api/articles/${await article(a.id, "published")}/corrections`, {
          kind: "correction",
          note: "Fixed a name.",
        }),
    },
    {
      action: "append a correction to a colleague's article",
      allowed: from("editor"),
      ok: 201,
      send: async (a) =>
        as(a, "POST", `/admin/api/articles/${await article(colleague.id, "published")}/corrections`, {
          kind: "update",
          note: "New figures.",
        }),
    },
    {
      action: "create an article marked featured",
      allowed: from("editor"),
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/articles", { ...fields(a.id), isFeatured: true }),
    },
    {
      action: "mark one's own draft as featured",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", `/admin/api/articles/${await article(a.id, "draft")}`, {
          baseVersion: 1,
          fields: { ...fields(a.id), isFeatured: true },
        }),
    },
    {
      action: "make preview links for one's own draft",
      allowed: ALL,
      ok: 201,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(a.id, "draft")}/preview-links`, {}),
    },
    {
      action: "make preview links for a colleague's draft",
      allowed: from("editor"),
      ok: 201,
      send: async (a) => as(a, "POST", `/admin/api/articles/${await article(colleague.id, "draft")}/preview-links`, {}),
    },
    {
      action: "make preview links for a colleague's published article",
      allowed: ALL,
      ok: 201,
      send: async (a) =>
        as(a, "POST", `/admin/api/articles/${await article(colleague.id, "published")}/preview-links`, {}),
    },
    {
      action: "read the front page's picks",
      allowed: from("editor"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/home"),
    },
    {
      action: "arrange the front page",
      allowed: from("editor"),
      ok: 200,
      send: async (a) =>
        as(a, "PUT", "/admin/api/home", { leadId: await article(colleague.id, "published"), topIds: [] }),
    },
    {
      action: "read the breaking strip",
      allowed: from("editor"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/breaking"),
    },
    {
      action: "put up the breaking strip",
      allowed: from("editor"),
      ok: 200,
      send: (a) =>
        as(a, "PUT", "/admin/api/breaking", {
          text: `Strip ${++n}`,
          expiresAt: new Date(app.built.clock.now().getTime() + 3_600_000).toISOString(),
        }),
    },
    {
      action: "take down the breaking strip",
      allowed: from("editor"),
      ok: 204,
      send: (a) => as(a, "DELETE", "/admin/api/breaking"),
    },
    {
      action: "archive a section",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/sections/${(await app.make.section()).id}/archive`, {}),
    },
    {
      action: "reorder the sections",
      allowed: from("editor"),
      ok: 200,
      send: async (a) => {
        const { sections } = await (await as(a, "GET", "/admin/api/sections")).json();
        return as(a, "PUT", "/admin/api/sections/order", {
          sectionIds: sections.map((s: { id: string }) => s.id).reverse(),
        });
      },
    },
    {
      action: "read the site settings",
      allowed: from("admin"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/settings"),
    },
    {
      action: "change the site settings",
      allowed: from("admin"),
      ok: 200,
      send: (a) =>
        as(a, "PUT", "/admin/api/settings", {
          title: `The Matrix Gazette ${++n}`,
          description: "Every role, every action.",
          logoUrl: null,
          accentColor: "#9b1c1c",
          language: "en",
          timeZone: "UTC",
          currency: "EUR",
          social: { xHandle: null, facebookPage: null, instagramHandle: null, mastodonHandle: null },
          navigation: [],
          footerLinks: [],
        }),
    },
    {
      action: "create a section",
      allowed: from("editor"),
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/sections", { name: `Desk ${++n}` }),
    },
    {
      action: "create a tag",
      allowed: from("editor"),
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/tags", { name: `Topic ${++n}` }),
    },
    { action: "list sections", allowed: ALL, ok: 200, send: (a) => as(a, "GET", "/admin/api/sections") },
    {
      action: "upload an image",
      allowed: from("contributor"),
      ok: 201,
      send: (a) => uploadFile(app, a.cookie, { bytes: png, name: `matrix-${++n}.png`, type: "image/png" }),
    },
    { action: "browse the media library", allowed: ALL, ok: 200, send: (a) => as(a, "GET", "/admin/api/media") },
    {
      action: "read an image's details",
      allowed: ALL,
      ok: 200,
      send: (a) => as(a, "GET", `/admin/api/media/${imageId}`),
    },
    {
      action: "describe an image one uploaded (alt text, caption, credit)",
      allowed: ALL,
      ok: 200,
      send: async (a) => {
        const uploaded = await uploadFile(app, a.cookie, { bytes: png, name: `own-${++n}.png`, type: "image/png" });
        const { image } = await uploaded.json();
        return as(a, "PATCH", `/admin/api/media/${image.id}`, { alt: `Described ${++n}`, caption: "Mine" });
      },
    },
    {
      action: "describe an image a colleague uploaded (alt text, caption, credit)",
      allowed: from("editor"),
      ok: 200,
      send: (a) => as(a, "PATCH", `/admin/api/media/${imageId}`, { alt: `Described ${++n}`, credit: "Staff" }),
    },
    { action: "list staff", allowed: ALL, ok: 200, send: (a) => as(a, "GET", "/admin/api/staff") },
    ...(["contributor", "author", "editor", "admin"] as const).map(
      (role): Cell => ({
        action: `invite an ${role}`,
        allowed: from("admin"),
        ok: 201,
        send: (a) => as(a, "POST", "/admin/api/invitations", { email: `invitee-${++n}-${kind}@example.test`, role }),
      }),
    ),
    {
      action: "invite an owner",
      allowed: NOBODY,
      ok: 201,
      send: (a) => as(a, "POST", "/admin/api/invitations", { email: `owner-${++n}@example.test`, role: "owner" }),
    },
    {
      action: "demote an editor to author",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => as(a, "PUT", `/admin/api/staff/${(await target("editor")).id}/role`, { role: "author" }),
    },
    {
      action: "promote an author to admin",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => as(a, "PUT", `/admin/api/staff/${(await target("author")).id}/role`, { role: "admin" }),
    },
    {
      action: "promote an author to owner",
      allowed: NOBODY,
      ok: 200,
      send: async (a) => as(a, "PUT", `/admin/api/staff/${(await target("author")).id}/role`, { role: "owner" }),
    },
    {
      action: "demote an owner",
      allowed: NOBODY,
      ok: 200,
      send: async (a) => as(a, "PUT", `/admin/api/staff/${(await target("owner")).id}/role`, { role: "editor" }),
    },
    ...(["contributor", "author", "editor", "admin"] as const).map(
      (role): Cell => ({
        action: `deactivate an ${role}`,
        allowed: from("admin"),
        ok: 200,
        send: async (a) => as(a, "POST", `/admin/api/staff/${(await target(role)).id}/deactivate`, {}),
      }),
    ),
    {
      action: "deactivate an owner",
      allowed: NOBODY,
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/staff/${(await target("owner")).id}/deactivate`, {}),
    },
    {
      action: "reactivate an editor",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => {
        const editor = await target("editor");
        await content.setStaffActive(app.db, { id: editor.id, isActive: false, at: app.built.clock.now() });
        return as(a, "POST", `/admin/api/staff/${editor.id}/reactivate`, {});
      },
    },
    {
      action: "list pending invitations",
      allowed: from("admin"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/invitations"),
    },
    { action: "read the outbox", allowed: from("admin"), ok: 200, send: (a) => as(a, "GET", "/admin/api/outbox") },
    {
      action: "read the paywall settings",
      allowed: from("editor"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/paywall"),
    },
    {
      action: "read which articles sell",
      allowed: from("editor"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/paywall/report?days=30"),
    },
    {
      action: "change the paywall settings",
      allowed: from("admin"),
      ok: 200,
      send: (a) =>
        as(a, "PUT", "/admin/api/paywall", {
          anonymousAllowance: 3,
          registeredAllowance: 10,
          previewParagraphs: 3,
          kindAccessDefaults: { analysis: { accessLevel: "paid", isMetered: true } },
          paywallTexts: {},
        }),
    },
    { action: "read the plan", allowed: from("editor"), ok: 200, send: (a) => as(a, "GET", "/admin/api/plan") },
    {
      action: "change the plan",
      allowed: from("admin"),
      ok: 200,
      send: (a) =>
        as(a, "PUT", "/admin/api/plan", {
          name: "Digital access",
          includes: "Everything we publish.",
          monthlyAmount: 499,
          yearlyAmount: null,
          trialDays: 0,
          graceDays: 7,
        }),
    },
    { action: "list readers", allowed: from("admin"), ok: 200, send: (a) => as(a, "GET", "/admin/api/members") },
    {
      action: "download readers as CSV",
      allowed: from("admin"),
      ok: 200,
      send: (a) => as(a, "GET", "/admin/api/members.csv"),
    },
    {
      action: "import readers from CSV",
      allowed: from("admin"),
      ok: 200,
      send: (a) =>
        as(a, "POST", "/admin/api/members/import", {
          csv: `email
imported-${++n}-${kind}@example.test`,
        }),
    },
    { action: "read the revenue", allowed: from("admin"), ok: 200, send: (a) => as(a, "GET", "/admin/api/revenue") },
    {
      action: "read a reader's detail",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => as(a, "GET", `/admin/api/members/${await reader()}`),
    },
    { action: "list offers", allowed: from("admin"), ok: 200, send: (a) => as(a, "GET", "/admin/api/offers") },
    {
      action: "make an offer",
      allowed: from("admin"),
      ok: 201,
      send: (a) =>
        as(a, "POST", "/admin/api/offers", {
          code: `made${++n}${kind}`,
          name: "Spring",
          percentOff: 20,
          duration: "repeating",
          durationInMonths: 3,
        }),
    },
    {
      action: "rename and pause an offer",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => as(a, "PATCH", `/admin/api/offers/${await offer()}`, { name: "Renamed", status: "inactive" }),
    },
    {
      action: "archive an offer",
      allowed: from("admin"),
      ok: 200,
      send: async (a) => as(a, "POST", `/admin/api/offers/${await offer()}/archive`, {}),
    },
    {
      action: "give a reader complimentary access",
      allowed: from("admin"),
      ok: 204,
      send: async (a) =>
        as(a, "PUT", `/admin/api/members/${await reader()}/complimentary`, { until: "2099-01-01T00:00:00Z" }),
    },
    {
      // Past the policy, a reader without a subscription has nothing to cancel: 409 means the role was let in.
      action: "cancel a reader's subscription",
      allowed: from("admin"),
      ok: 409,
      send: async (a) => as(a, "POST", `/admin/api/members/${await reader()}/cancel`, { atPeriodEnd: true }),
    },
    {
      action: "delete a reader's account",
      allowed: from("admin"),
      ok: 204,
      send: async (a) => as(a, "DELETE", `/admin/api/members/${await reader()}`),
    },
  ];

  test("the matrix names each action once", () => {
    expect(cells.length).toBe(new Set(cells.map((cell) => cell.action)).size);
  });

  // Every cell, on the embedded database only (always there, with or without TEST_DATABASE_URL): who may do what is
  // decided by the newsroom's policy in code, not by the database, and the routes' reads and writes behind the
  // cells run on both databases in their own files (newsroom-articles, offers, members, media…). The file's
  // other tests still run on both. Running every cell twice cost a quarter of the file's time for nothing new.
  if (kind === MATRIX_DATABASE) {
    test.each(cells.map((cell) => [cell.action, cell] as const))("%s", async (_action, cell) => {
      const answers: Record<string, number> = {};
      for (const role of ROLES) answers[role] = (await cell.send(staff.get(role)!)).status;
      const expected = Object.fromEntries(ROLES.map((role) => [role, cell.allowed.includes(role) ? cell.ok : 403]));
      expect(answers).toEqual(expected);
    });
  }

  test("an author cannot credit their published article to someone else; co-authors join; an editor reassigns", async () => {
    const author = await signedInStaff(app, "author");
    const editor = staff.get("editor")!;
    const { name: authorName } = await content.getStaffById(app.db, author.id);
    const id = await article(author.id, "published");
    const { article: before } = await (await as(author, "GET", `/admin/api/articles/${id}`)).json();
    const page = () => app.html(`/${section.slug}/${before.slug}`);
    const byline = async () =>
      ((await (await as(editor, "GET", `/admin/api/articles/${id}`)).json()).article.authors as { id: string }[]).map(
        (a) => a.id,
      );
    const save = (actor: StaffAccount, baseVersion: number, authorIds: string[]) =>
      as(actor, "PUT", `/admin/api/articles/${id}`, {
        baseVersion,
        fields: { ...before.fields, authorIds },
      });

    const handedOver = await save(author, 2, [colleague.id]);
    expect(handedOver.status).toBe(403);
    expect((await handedOver.json()).errors[0]).toMatchObject({
      code: "BYLINE_WITHOUT_YOU",
      property: "authorIds",
      message: "You cannot take your own name off this byline, nor credit the article only to others",
    });
    expect(await byline()).toEqual([author.id]);
    expect(await page()).toContain(authorName);

    expect((await save(author, 2, [author.id, colleague.id])).status).toBe(200);
    expect(await byline()).toEqual([author.id, colleague.id]);
    const dropped = await save(author, 3, [author.id]);
    expect(dropped.status).toBe(403);
    expect(((await dropped.json()).errors[0] as { code: string }).code).toBe("BYLINE_DROPS_COLLEAGUE");

    expect((await save(editor, 3, [colleague.id])).status).toBe(200);
    expect(await byline()).toEqual([colleague.id]);
    const after = await page();
    expect(after).toContain("Colleague");
    expect(after).not.toContain(authorName);
  });

  test("an author or contributor creating an article credited only to colleagues is refused, naming why", async () => {
    for (const role of ["contributor", "author"] as const) {
      const res = await as(staff.get(role)!, "POST", "/admin/api/articles", fields(colleague.id));
      expect(res.status).toBe(403);
      expect((await res.json()).errors[0]).toMatchObject({ code: "BYLINE_WITHOUT_YOU", property: "authorIds" });
    }
  });

  test("the staff list gives contributors and authors names and ids; editors and up also addresses and roles", async () => {
    for (const role of ROLES) {
      const res = await as(staff.get(role)!, "GET", "/admin/api/staff");
      expect(res.status).toBe(200);
      const entry = ((await res.json()).staff as { id: string }[]).find((s) => s.id === colleague.id)!;
      const isEditor = ROLES.indexOf(role) >= ROLES.indexOf("editor");
      expect({ role, keys: Object.keys(entry).sort() }).toEqual({
        role,
        keys: isEditor ? ["bio", "createdAt", "deactivatedAt", "email", "id", "name", "role", "slug"] : ["id", "name"],
      });
    }
  });

  test("no newsroom answer to a contributor or an author carries a colleague's email address", async () => {
    const others = [colleague.id, staff.get("owner")!.id, staff.get("editor")!.id];
    const addresses = await Promise.all(others.map(async (id) => (await content.getStaffById(app.db, id)).email));
    for (const role of ["contributor", "author"] as const) {
      const me = staff.get(role)!;
      const shared = await article([colleague.id, me.id], "draft");
      const deps = { db: app.db, clock: app.built.clock };
      await content.editArticle(deps, {
        id: shared,
        baseVersion: 1,
        fields: fields([colleague.id, me.id]),
        by: colleague.id,
      });
      const paths = [
        "/admin/api/staff",
        "/admin/api/session",
        "/admin/api/articles",
        `/admin/api/articles?authorId=${colleague.id}`,
        `/admin/api/articles/${shared}`,
        `/admin/api/articles/${shared}/revisions`,
        `/admin/api/articles/${shared}/revisions/2`,
        `/admin/api/articles/${shared}/revisions/compare?from=1&to=2`,
        "/admin/api/media",
        `/admin/api/media/${imageId}`,
      ];
      for (const path of paths) {
        const res = await as(me, "GET", path);
        expect({ role, path, status: res.status }).toEqual({ role, path, status: 200 });
        const body = (await res.text()).toLowerCase();
        for (const address of addresses)
          expect({ role, path, leaks: body.includes(address) }).toEqual({ role, path, leaks: false });
      }
    }
  });

  test("only the owner hands over ownership, and then is an admin", async () => {
    const heir = await content.createStaff(app.db, {
      email: `heir-${kind}@example.test`,
      name: "Heir",
      role: "editor",
    });
    for (const role of ["contributor", "author", "editor", "admin"] as const) {
      const res = await as(staff.get(role)!, "POST", "/admin/api/ownership", { staffId: heir.id });
      expect(res.status).toBe(403);
    }
    const owner = await signedInStaff(app, "owner");
    const handed = await as(owner, "POST", "/admin/api/ownership", { staffId: heir.id });
    expect(handed.status).toBe(200);
    expect((await handed.json()).staff.role).toBe("owner");
    const me = await as(owner, "GET", "/admin/api/session");
    expect((await me.json()).staff.role).toBe("admin");
    expect((await as(owner, "POST", "/admin/api/ownership", { staffId: owner.id })).status).toBe(403);
  });

  test("a role change applies to the very next request of a signed-in session", async () => {
    const owner = staff.get("owner")!;
    const editor = await signedInStaff(app, "editor");
    const before = await as(editor, "POST", "/admin/api/sections", { name: `Before ${++n}` });
    expect(before.status).toBe(201);
    await as(owner, "PUT", `/admin/api/staff/${editor.id}/role`, { role: "contributor" });
    const after = await as(editor, "POST", "/admin/api/sections", { name: `After ${++n}` });
    expect(after.status).toBe(403);
  });

  test("no answer to any role carries a password hash, a session or link token, or a two-factor secret", async () => {
    const owner = staff.get("owner")!;
    await as(owner, "POST", "/admin/api/invitations", { email: `secret-check-${kind}@example.test`, role: "editor" });
    const bodies = await Promise.all(
      ["/admin/api/staff", "/admin/api/invitations", "/admin/api/session", "/admin/api/outbox"].map(async (path) =>
        (await as(owner, "GET", path)).text(),
      ),
    );
    for (const body of bodies) {
      expect(body).not.toMatch(/\$argon2|password_?hash|token_?hash|"secret"|bs_staff=/i);
      expect(body).not.toMatch(/token=[A-Za-z0-9_-]{20,}/);
    }
    const staffList = JSON.parse(bodies[0]!).staff;
    expect(Object.keys(staffList[0]).sort()).toEqual([
      "bio",
      "createdAt",
      "deactivatedAt",
      "email",
      "id",
      "name",
      "role",
      "slug",
    ]);
  });
});
