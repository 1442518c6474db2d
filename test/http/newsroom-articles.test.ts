/** The newsroom's article API over HTTP: list, create, edit with version checks, revisions, workflow, taxonomy. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

describe.each(databaseKinds())("the newsroom article API on %s", (kind) => {
  let app: TestApp;
  let editor: StaffAccount;
  let author: StaffAccount;
  const clock = fixedClock(new Date("2031-06-01T09:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    editor = await signedInStaff(app, "editor");
    author = await signedInStaff(app, "author");
  });
  afterAll(() => app.close());

  const fieldsFor = (spec: { sectionId: string; authorIds: string[]; title?: string; paragraphs?: string[] }) => ({
    title: spec.title ?? "Harbour tolls rise",
    dek: "The port authority sets new fees.",
    kind: "news" as content.ArticleKind,
    sectionId: spec.sectionId,
    authorIds: spec.authorIds,
    tagNames: ["Harbour"],
    body: paragraphsDoc(spec.paragraphs ?? ["First paragraph.", "Second paragraph."]),
  });

  async function create(as: StaffAccount, overrides: Partial<ReturnType<typeof fieldsFor>> = {}) {
    const section = overrides.sectionId ? { id: overrides.sectionId } : await app.make.section();
    const res = await api(app, "POST", "/admin/api/articles", {
      cookie: as.cookie,
      body: { ...fieldsFor({ sectionId: section.id, authorIds: [as.id] }), ...overrides },
    });
    expect(res.status).toBe(201);
    return (await res.json()).article;
  }

  test("ten simultaneous creations with one headline all succeed, each with its own slug", async () => {
    const title = `Simultaneous headline ${kind}`;
    const created = await Promise.all(Array.from({ length: 10 }, () => create(editor, { title })));
    expect(new Set(created.map((a: { slug: string }) => a.slug)).size).toBe(10);
  });

  test("an author creates a draft, reads it back with its fields, and it is revision 1", async () => {
    const article = await create(author, { title: "Ferry timetable changes" });
    expect(article).toEqual(
      expect.objectContaining({
        title: "Ferry timetable changes",
        status: "draft",
        version: 1,
        slug: "ferry-timetable-changes",
      }),
    );
    expect(article.fields.tagNames).toEqual(["Harbour"]);
    const read = await api(app, "GET", `/admin/api/articles/${article.id}`, { cookie: author.cookie });
    expect((await read.json()).article.fields).toEqual(article.fields);
    const revisions = await api(app, "GET", `/admin/api/articles/${article.id}/revisions`, { cookie: author.cookie });
    expect((await revisions.json()).revisions).toEqual([expect.objectContaining({ version: 1, savedBy: author.id })]);
  });

  test("the list searches, filters, sorts and pages", async () => {
    const section = await app.make.section({ name: `Ports ${kind}` });
    const titles = ["Alpha dock opens", "Beta dock closes", "Gamma dock floods"];
    for (const title of titles) {
      await create(editor, { title, sectionId: section.id, kind: title.startsWith("Beta") ? "analysis" : "news" });
      clock.advance(60_000);
    }
    const list = async (query: string) => {
      const res = await api(app, "GET", `/admin/api/articles?sectionId=${section.id}&${query}`, {
        cookie: editor.cookie,
      });
      expect(res.status).toBe(200);
      return res.json();
    };
    expect((await list("sort=title")).articles.map((a: { title: string }) => a.title)).toEqual(titles);
    expect((await list("sort=-updated")).articles.map((a: { title: string }) => a.title)).toEqual(
      [...titles].reverse(),
    );
    expect((await list("q=gamma")).articles.map((a: { title: string }) => a.title)).toEqual(["Gamma dock floods"]);
    expect((await list("kind=analysis")).articles.map((a: { title: string }) => a.title)).toEqual(["Beta dock closes"]);
    expect((await list("status=published")).meta.total).toBe(0);
    expect((await list(`authorId=${editor.id}`)).meta.total).toBe(3);
    const paged = await list("sort=title&perPage=2&page=2");
    expect(paged.articles.map((a: { title: string }) => a.title)).toEqual(["Gamma dock floods"]);
    expect(paged.meta).toEqual({ page: 2, pages: 2, total: 3, perPage: 2 });
    const bad = await api(app, "GET", "/admin/api/articles?perPage=5000&status=gone", { cookie: editor.cookie });
    expect(bad.status).toBe(400);
  });

  test("a save from an old version is refused with 409 and both versions; nothing is overwritten", async () => {
    const article = await create(author);
    const first = await api(app, "PUT", `/admin/api/articles/${article.id}`, {
      cookie: author.cookie,
      body: { baseVersion: 1, fields: { ...article.fields, title: "Editor's headline" } },
    });
    expect(first.status).toBe(200);
    expect((await first.json()).article.version).toBe(2);

    const stale = await api(app, "PUT", `/admin/api/articles/${article.id}`, {
      cookie: editor.cookie,
      body: { baseVersion: 1, fields: { ...article.fields, title: "Second writer's headline" } },
    });
    expect(stale.status).toBe(409);
    const conflict = await stale.json();
    expect(conflict.errors[0].code).toBe("VERSION_CONFLICT");
    // Stored with its typography: the apostrophe curled on save.
    expect(conflict.current).toEqual({ version: 2, fields: expect.objectContaining({ title: "Editor’s headline" }) });
    expect(conflict.yours).toEqual({
      baseVersion: 1,
      fields: expect.objectContaining({ title: "Second writer's headline" }),
    });
    const [row] = await queryRows<{ title: string; version: number }>(
      app.db,
      sql`SELECT title, version FROM articles WHERE id = ${article.id}`,
    );
    expect(row).toEqual({ title: "Editor’s headline", version: 2 });
  });

  test("revisions compare field by field, and restoring one saves it as a new version", async () => {
    const article = await create(author, { title: "Original headline" });
    await api(app, "PUT", `/admin/api/articles/${article.id}`, {
      cookie: author.cookie,
      body: { baseVersion: 1, fields: { ...article.fields, title: "Changed headline", dek: "A new dek." } },
    });
    const compared = await api(app, "GET", `/admin/api/articles/${article.id}/revisions/compare?from=1&to=2`, {
      cookie: author.cookie,
    });
    const diff = await compared.json();
    expect(diff.changed.sort()).toEqual(["dek", "title"]);
    expect(diff.from.fields.title).toBe("Original headline");
    expect(diff.to.fields.title).toBe("Changed headline");

    const restored = await api(app, "POST", `/admin/api/articles/${article.id}/revisions/1/restore`, {
      cookie: author.cookie,
      body: { baseVersion: 2 },
    });
    expect(restored.status).toBe(200);
    const now = (await restored.json()).article;
    expect(now).toEqual(expect.objectContaining({ title: "Original headline", version: 3 }));
    const missing = await api(app, "GET", `/admin/api/articles/${article.id}/revisions/9`, { cookie: author.cookie });
    expect(await errorCodeOf(missing)).toBe("REVISION_NOT_FOUND");
  });

  test("draft → in review → published shows on the site at once; unpublishing takes it off; notes are appended", async () => {
    const section = await app.make.section({ name: `Harbour ${kind}` });
    const article = await create(author, { title: `Lighthouse relit ${kind}`, sectionId: section.id });
    const page = `/${section.slug}/${article.slug}`;
    expect((await app.get(page)).status).toBe(404);
    expect(await app.html(`/section/${section.slug}`)).not.toContain("Lighthouse relit");

    const submitted = await api(app, "POST", `/admin/api/articles/${article.id}/submit`, {
      cookie: author.cookie,
      body: {},
    });
    expect((await submitted.json()).article).toEqual({ id: article.id, status: "in_review", version: 2 });
    const again = await api(app, "POST", `/admin/api/articles/${article.id}/submit`, {
      cookie: author.cookie,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe("WRONG_STATUS");

    const published = await api(app, "POST", `/admin/api/articles/${article.id}/publish`, {
      cookie: editor.cookie,
      body: {},
    });
    expect((await published.json()).article.status).toBe("published");
    expect(await app.html(`/section/${section.slug}`)).toContain("Lighthouse relit");
    expect((await app.get(page)).status).toBe(200);

    const note = await api(app, "POST", `/admin/api/articles/${article.id}/corrections`, {
      cookie: editor.cookie,
      body: { kind: "correction", note: "An earlier version gave the wrong year." },
    });
    expect(note.status).toBe(201);
    expect((await note.json()).correction).toEqual(
      expect.objectContaining({ kind: "correction", createdAt: clock.now().toISOString() }),
    );
    const detail = await api(app, "GET", `/admin/api/articles/${article.id}`, { cookie: editor.cookie });
    expect((await detail.json()).article.corrections).toHaveLength(1);
    await api(app, "POST", `/admin/api/articles/${article.id}/corrections`, {
      cookie: editor.cookie,
      body: { kind: "update", note: "<script>alert(1)</script> Figures added." },
    });
    const shown = await app.html(page);
    expect(shown).toContain("An earlier version gave the wrong year.");
    expect(shown).toContain("&lt;script>alert(1)&lt;/script> Figures added.");
    expect(shown).not.toContain("<script>alert(1)");

    const unpublished = await api(app, "POST", `/admin/api/articles/${article.id}/unpublish`, {
      cookie: editor.cookie,
      body: {},
    });
    expect((await unpublished.json()).article.status).toBe("draft");
    expect(await (await app.get(`/section/${section.slug}`)).text()).not.toContain("Lighthouse relit");
    expect((await app.get(page)).status).toBe(404);
  });

  test("editing a published article refreshes its page", async () => {
    const section = await app.make.section();
    const article = await create(editor, { title: "Quay wall repaired", sectionId: section.id });
    await api(app, "POST", `/admin/api/articles/${article.id}/publish`, { cookie: editor.cookie, body: {} });
    const path = `/${section.slug}/${article.slug}`;
    expect(await app.html(path)).toContain("First paragraph.");
    const current = (
      await (await api(app, "GET", `/admin/api/articles/${article.id}`, { cookie: editor.cookie })).json()
    ).article;
    const edited = await api(app, "PUT", `/admin/api/articles/${article.id}`, {
      cookie: editor.cookie,
      body: { baseVersion: current.version, fields: { ...current.fields, body: paragraphsDoc(["A rewritten lede."]) } },
    });
    expect(edited.status).toBe(200);
    const html = await app.html(path);
    expect(html).toContain("A rewritten lede.");
    expect(html).not.toContain("First paragraph.");
  });

  test("saving stores headline, dek and text with the paper's typography; code and links are left as typed", async () => {
    const article = await create(author, {
      title: 'Minister says "no" to the port\'s plan',
      dek: "Talks resumed - and stalled... again",
      body: {
        type: "doc",
        content: [
          {
            type: "paragraph",
            content: [
              { type: "text", text: 'The 12 km road "will wait" till 2027-2028. Run ' },
              { type: "text", text: 'grep -r "port" .', marks: [{ type: "code" }] },
              { type: "text", text: " or see " },
              {
                type: "text",
                text: "the 'plan'",
                marks: [{ type: "link", attrs: { href: "https://example.com/a--b?q='x'" } }],
              },
            ],
          },
        ],
      },
    });
    const [row] = await queryRows<{ title: string; dek: string; preview_html: string; body_doc: unknown }>(
      app.db,
      sql`SELECT title, dek, preview_html, body_doc FROM articles WHERE id = ${article.id}`,
    );
    expect(row?.title).toBe("Minister says “no” to the port’s plan");
    expect(row?.dek).toBe("Talks resumed\u00A0— and stalled… again");
    expect(row?.preview_html).toContain("The 12\u00A0km road “will wait” till 2027–2028. Run ");
    expect(row?.preview_html).toContain("<code>grep -r &quot;port&quot; .</code>");
    expect(row?.preview_html).toContain('href="https://example.com/a--b?q=%27x%27"');
    expect(row?.preview_html).toContain(">the ‘plan’</a>");
    expect(JSON.stringify(row?.body_doc)).toContain("“will wait”");
    // The editor gets back what was stored.
    expect(article.fields.title).toBe("Minister says “no” to the port’s plan");
  });

  test("with the paper's typography turned off, the words stay as typed; turned on again, they are typeset", async () => {
    const typed = 'The "5\'10" rule" - as typed';
    const article = await create(author, { title: typed, body: paragraphsDoc([typed]) });
    expect(article.fields).toMatchObject({ title: "The “5’10” rule”\u00A0— as typed", smartTypography: true });
    const save = async (version: number, fields: Record<string, unknown>) => {
      const res = await api(app, "PUT", `/admin/api/articles/${article.id}`, {
        cookie: author.cookie,
        body: { baseVersion: version, fields },
      });
      expect(res.status).toBe(200);
      return (await (await api(app, "GET", `/admin/api/articles/${article.id}`, { cookie: author.cookie })).json())
        .article;
    };
    // The editor turns it off and retypes what the typesetting changed.
    const plain = await save(article.version, {
      ...article.fields,
      title: typed,
      body: paragraphsDoc([typed]),
      smartTypography: false,
    });
    expect(plain.fields).toMatchObject({ title: typed, smartTypography: false });
    expect(JSON.stringify(plain.fields.body)).toContain(JSON.stringify(typed).slice(1, -1));
    const [row] = await queryRows<{ preview_html: string }>(
      app.db,
      sql`SELECT preview_html FROM articles WHERE id = ${article.id}`,
    );
    expect(row?.preview_html).toContain("The &quot;5&#39;10&quot; rule&quot; - as typed");
    // Left off, later saves keep it as typed; on again, the next save typesets.
    const again = await save(plain.version, plain.fields);
    expect(again.fields.title).toBe(typed);
    const typeset = await save(again.version, { ...again.fields, smartTypography: true });
    expect(typeset.fields.title).toBe("The “5’10” rule”\u00A0— as typed");
  });

  test("hostile or malformed articles are refused with 4xx and write nothing", async () => {
    const section = await app.make.section();
    const base = fieldsFor({ sectionId: section.id, authorIds: [editor.id], title: "Should never exist" });
    const attempts: [unknown, number][] = [
      [{ ...base, body: { type: "doc", content: [{ type: "script", text: "alert(1)" }] } }, 400],
      [{ ...base, body: "<script>alert(1)</script>" }, 400],
      [{ ...base, sectionId: "00000000-0000-4000-8000-000000000000" }, 400],
      [{ ...base, authorIds: ["00000000-0000-4000-8000-000000000000"] }, 400],
      [{ ...base, authorIds: [editor.id, editor.id] }, 400],
      [{ ...base, status: "published" }, 400],
      [{ ...base, title: "x".repeat(301) }, 400],
      [{ ...base, canonicalUrl: "javascript:alert(1)" }, 400],
      [{ ...base, featureImage: { url: "data:image/svg+xml,<svg onload=alert(1)>", alt: "x" } }, 400],
      [{ ...base, body: paragraphsDoc(["y".repeat(2 * 1024 * 1024)]) }, 413],
    ];
    for (const [body, status] of attempts) {
      const res = await api(app, "POST", "/admin/api/articles", { cookie: editor.cookie, body });
      expect(res.status).toBe(status);
      expect((await res.json()).errors[0].message).toBeTruthy();
    }
    const rows = await queryRows(app.db, sql`SELECT 1 FROM articles WHERE title = 'Should never exist'`);
    expect(rows).toEqual([]);
  });

  test("editors manage sections and tags; a section with articles cannot be deleted", async () => {
    const created = await api(app, "POST", "/admin/api/sections", {
      cookie: editor.cookie,
      body: { name: `Weather ${kind}`, description: "Forecasts" },
    });
    expect(created.status).toBe(201);
    const section = (await created.json()).section;
    const renamed = await api(app, "PUT", `/admin/api/sections/${section.id}`, {
      cookie: editor.cookie,
      body: { name: `Climate ${kind}`, position: 4 },
    });
    expect((await renamed.json()).section).toEqual(
      expect.objectContaining({ name: `Climate ${kind}`, description: "Forecasts", position: 4 }),
    );
    const moved = await api(app, "PUT", `/admin/api/sections/${section.id}/slug`, {
      cookie: editor.cookie,
      body: { slug: `climate-${kind}` },
    });
    expect((await moved.json()).section.slug).toBe(`climate-${kind}`);
    await create(editor, { sectionId: section.id });
    const refused = await api(app, "DELETE", `/admin/api/sections/${section.id}`, { cookie: editor.cookie });
    expect(await errorCodeOf(refused)).toBe("SECTION_NOT_EMPTY");

    const tag = await api(app, "POST", "/admin/api/tags", { cookie: editor.cookie, body: { name: `Storms ${kind}` } });
    expect(tag.status).toBe(201);
    const { id } = (await tag.json()).tag;
    const duplicate = await api(app, "POST", "/admin/api/tags", {
      cookie: editor.cookie,
      body: { name: `STORMS ${kind}` },
    });
    expect(await errorCodeOf(duplicate)).toBe("TAG_EXISTS");
    const updated = await api(app, "PUT", `/admin/api/tags/${id}`, {
      cookie: editor.cookie,
      body: { name: `Gales ${kind}`, description: "Wind" },
    });
    expect((await updated.json()).tag).toEqual(expect.objectContaining({ name: `Gales ${kind}`, description: "Wind" }));
    expect((await api(app, "DELETE", `/admin/api/tags/${id}`, { cookie: editor.cookie })).status).toBe(204);
    const tags = await (await api(app, "GET", "/admin/api/tags", { cookie: editor.cookie })).json();
    expect(tags.tags.map((t: { id: string }) => t.id)).not.toContain(id);
  });
});
