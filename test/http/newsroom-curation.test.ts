/**
 * Front-page curation, the breaking-news strip and sections over HTTP, and what readers see next: every change
 * shows on the next request, with the page cache on.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

const HOUR = 3_600_000;

/** The HTML between two markers of the front page (its lead column, its top stories column). */
function region(html: string, from: string, to: string): string {
  const start = html.indexOf(from);
  const end = html.indexOf(to, start);
  expect(start, from).toBeGreaterThan(-1);
  return html.slice(start, end);
}

describe.each(databaseKinds())("front page curation on %s", (kind) => {
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

  const older = (hours: number) => new Date(clock.now().getTime() - hours * HOUR);
  const put = (path: string, body: unknown, as = editor) => api(app, "PUT", path, { cookie: as.cookie, body });

  test("the chosen lead and top stories lead the front page at the next request, in the editors' order", async () => {
    const oldStory = await app.make.article({ title: "Lighthouse keepers return", publishedAt: older(40) });
    const second = await app.make.article({ title: "Ferry fares frozen", publishedAt: older(30) });
    const third = await app.make.article({ title: "Dock strike ends", publishedAt: older(20) });
    const newest = await app.make.article({ title: "Council meets tonight" });
    const before = await app.html("/");
    expect(region(before, 'class="front-lead"', 'class="front-secondary"')).toContain("Council meets tonight");
    expect(await app.html("/")).toBe(before); // from the page cache now

    const res = await put("/admin/api/home", { leadId: oldStory.id, topIds: [third.id, second.id] });
    expect(res.status).toBe(200);
    const { home } = await res.json();
    expect(home.lead).toEqual(expect.objectContaining({ id: oldStory.id, title: "Lighthouse keepers return" }));
    expect(home.top.map((p: { id: string }) => p.id)).toEqual([third.id, second.id]);

    const after = await app.html("/");
    expect(region(after, 'class="front-lead"', 'class="front-secondary"')).toContain("Lighthouse keepers return");
    const top = region(after, 'class="front-secondary"', 'class="front-latest"');
    expect(top.indexOf("Dock strike ends")).toBeGreaterThan(-1);
    expect(top.indexOf("Dock strike ends")).toBeLessThan(top.indexOf("Ferry fares frozen"));
    // The rest follows by recency, as before.
    expect(after).toContain("Council meets tonight");
    expect(region(after, 'class="front-lead"', 'class="front-secondary"')).not.toContain(newest.title);
  });

  test("an unpublished pick drops off the front page, and only published articles can be picked", async () => {
    const pick = await app.make.article({ title: "Tram line approved", publishedAt: older(50) });
    expect((await put("/admin/api/home", { leadId: pick.id, topIds: [] })).status).toBe(200);
    expect(region(await app.html("/"), 'class="front-lead"', 'class="front-secondary"')).toContain(
      "Tram line approved",
    );
    const unpublished = await api(app, "POST", `/admin/api/articles/${pick.id}/unpublish`, {
      cookie: editor.cookie,
      body: {},
    });
    expect(unpublished.status).toBe(200);
    expect(await app.html("/")).not.toContain("Tram line approved");
    const { home } = await (await api(app, "GET", "/admin/api/home", { cookie: editor.cookie })).json();
    expect(home.lead).toEqual(expect.objectContaining({ id: pick.id, status: "draft" }));

    const refused = await put("/admin/api/home", { leadId: null, topIds: [pick.id] });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.errors[0]).toEqual(expect.objectContaining({ code: "ARTICLE_NOT_PUBLISHED", property: "topIds.0" }));
  });

  test("curation input is checked: unknown ids, repeats, too many, wrong shapes and roles", async () => {
    const a = await app.make.article();
    const unknown = "00000000-0000-4000-8000-000000000000";
    const cases: [unknown, string, string][] = [
      [{ leadId: unknown, topIds: [] }, "UNKNOWN_ARTICLE", "leadId"],
      [{ leadId: a.id, topIds: [a.id] }, "PICKED_TWICE", "topIds.0"],
      [{ leadId: null, topIds: Array.from({ length: 13 }, () => a.id) }, "VALIDATION_FAILED", "topIds"],
      [{ leadId: "not-a-uuid", topIds: [] }, "VALIDATION_FAILED", "leadId"],
      [{ leadId: null, topIds: [], extra: 1 }, "VALIDATION_FAILED", "extra"],
    ];
    for (const [body, code, property] of cases) {
      const res = await put("/admin/api/home", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()).errors[0];
      expect({ code: error.code, property: error.property }).toEqual({ code, property });
    }
    const byAuthor = await put("/admin/api/home", { leadId: null, topIds: [] }, author);
    expect(byAuthor.status).toBe(403);
  });

  test("the breaking strip shows on every reader page until it expires, then disappears by itself", async () => {
    const story = await app.make.article({ title: "Bridge closed after barge strike" });
    const pages = ["/", `/section/${story.section.slug}`, `/${story.section.slug}/${story.slug}`];
    for (const path of pages) expect(await app.html(path)).not.toContain('class="breaking"');
    const expiresAt = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const res = await put("/admin/api/breaking", {
      text: "Bridge closed <b>both ways</b>",
      url: `/${story.section.slug}/${story.slug}`,
      expiresAt,
    });
    expect(res.status).toBe(200);
    expect((await res.json()).breaking).toEqual({
      text: "Bridge closed <b>both ways</b>",
      url: `/${story.section.slug}/${story.slug}`,
      expiresAt,
      isLive: true,
    });
    for (const path of pages) {
      const html = await app.html(path);
      expect(html, path).toContain('class="breaking"');
      expect(html).toContain("Bridge closed &lt;b>both ways&lt;/b>");
      expect(html).toContain(`href="/${story.section.slug}/${story.slug}"`);
    }
    // Cached now; no purge and no request to the newsroom after this: only time passes.
    clock.advance(2 * HOUR - 1000);
    expect(await app.html("/")).toContain('class="breaking"');
    clock.advance(1000);
    for (const path of pages) expect(await app.html(path), path).not.toContain('class="breaking"');
    const stored = await (await api(app, "GET", "/admin/api/breaking", { cookie: editor.cookie })).json();
    expect(stored.breaking.isLive).toBe(false);
  });

  test("a strip taken down leaves every page at once; its link and expiry are checked", async () => {
    const expiresAt = new Date(clock.now().getTime() + HOUR).toISOString();
    expect((await put("/admin/api/breaking", { text: "Polls close at eight", expiresAt })).status).toBe(200);
    expect(await app.html("/")).toContain("Polls close at eight");
    const removed = await api(app, "DELETE", "/admin/api/breaking", { cookie: editor.cookie });
    expect(removed.status).toBe(204);
    expect(await app.html("/")).not.toContain("Polls close at eight");

    const bad: [unknown, string][] = [
      [{ text: "x", url: "javascript:alert(1)", expiresAt }, "url"],
      [{ text: "x", url: "//evil.example/path", expiresAt }, "url"],
      [{ text: "x", url: "data:text/html,hi", expiresAt }, "url"],
      [{ text: "x", expiresAt: new Date(clock.now().getTime() - 1000).toISOString() }, "expiresAt"],
      [{ text: "x", expiresAt: new Date(clock.now().getTime() + 8 * 24 * HOUR).toISOString() }, "expiresAt"],
      [{ text: "x", expiresAt: "tomorrow" }, "expiresAt"],
      [{ text: "", expiresAt }, "text"],
      [{ text: "   ", expiresAt }, "text"],
    ];
    for (const [body, property] of bad) {
      const res = await put("/admin/api/breaking", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).errors[0].property, JSON.stringify(body)).toBe(property);
    }
    expect((await put("/admin/api/breaking", { text: "x", expiresAt }, author)).status).toBe(403);
    const ok = await put("/admin/api/breaking", { text: "Results soon", url: "https://example.com/live", expiresAt });
    expect(ok.status).toBe(200);
    await api(app, "DELETE", "/admin/api/breaking", { cookie: editor.cookie });
  });

  test("sections are created, renamed, reordered and archived; archived ones leave navigation and the sitemap, their articles stay", async () => {
    const created = await api(app, "POST", "/admin/api/sections", { cookie: editor.cookie, body: { name: "Weather" } });
    expect(created.status).toBe(201);
    const weather = (await created.json()).section;
    const renamed = await put(`/admin/api/sections/${weather.id}`, { name: "Weather & Climate" });
    expect((await renamed.json()).section.name).toBe("Weather & Climate");
    const story = await app.make.article({ title: "Storm warning lifted", section: weather });
    const nav = (html: string) => region(html, 'class="section-nav"', "</nav>");
    expect(nav(await app.html("/"))).toContain("Weather &amp; Climate");
    expect(await (await app.get("/sitemap-sections.xml")).text()).toContain(`/section/${weather.slug}`);

    const { sections } = await (await api(app, "GET", "/admin/api/sections", { cookie: editor.cookie })).json();
    const reversed = sections.map((s: { id: string }) => s.id).reverse();
    const reordered = await put("/admin/api/sections/order", { sectionIds: reversed });
    expect(reordered.status).toBe(200);
    expect((await reordered.json()).sections.map((s: { id: string }) => s.id)).toEqual(reversed);
    const incomplete = await put("/admin/api/sections/order", { sectionIds: reversed.slice(1) });
    expect(incomplete.status).toBe(400);
    expect((await incomplete.json()).errors[0].code).toBe("SECTION_MISSING");

    const archived = await api(app, "POST", `/admin/api/sections/${weather.id}/archive`, {
      cookie: editor.cookie,
      body: {},
    });
    expect(archived.status).toBe(200);
    expect((await archived.json()).section.archivedAt).toBe(clock.now().toISOString());
    expect(nav(await app.html("/"))).not.toContain("Weather");
    expect(await (await app.get("/sitemap-sections.xml")).text()).not.toContain(`/section/${weather.slug}`);
    expect(await app.html(`/${weather.slug}/${story.slug}`)).toContain("Storm warning lifted");
    const byAuthor = await api(app, "POST", `/admin/api/sections/${weather.id}/restore`, {
      cookie: author.cookie,
      body: {},
    });
    expect(byAuthor.status).toBe(403);
    const restored = await api(app, "POST", `/admin/api/sections/${weather.id}/restore`, {
      cookie: editor.cookie,
      body: {},
    });
    expect((await restored.json()).section.archivedAt).toBeNull();
    expect(nav(await app.html("/"))).toContain("Weather &amp; Climate");
    expect(await errorCodeOf(await put("/admin/api/sections/order", { sectionIds: [] }))).toBe("VALIDATION_FAILED");
  });

  test("the new routes are in the OpenAPI description, with their body schemas", async () => {
    const doc = await (await app.get("/admin/api/openapi.json")).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/admin/api/home",
        "/admin/api/breaking",
        "/admin/api/settings",
        "/admin/api/sections/order",
        "/admin/api/sections/{id}/archive",
        "/admin/api/sections/{id}/restore",
        "/admin/api/staff/{id}/deactivate",
        "/admin/api/staff/{id}/reactivate",
        "/admin/api/articles/{id}/preview-links",
      ]),
    );
    expect(Object.keys(doc.paths["/admin/api/breaking"]).sort()).toEqual(["delete", "get", "put"]);
    const settings = doc.paths["/admin/api/settings"].put.requestBody.content["application/json"].schema;
    expect(settings.properties.accentColor.pattern).toBe("^#[0-9a-fA-F]{6}$");
    expect(settings.additionalProperties).toBe(false);
  });
});
