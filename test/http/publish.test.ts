/** Publishing refreshes exactly the cached pages that show the article; renamed articles redirect. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;

beforeAll(async () => {
  app = await startApp({ template: "empty" });
});
afterAll(async () => app.close());

test("publishing refreshes the home, section, tag and author pages, and never shows the draft before", async () => {
  const economy = await app.make.section({ name: "Economy" });
  const author = await app.make.author({ name: "Lena Vuković" });
  await app.make.article({ section: economy, author, title: "Harbour fees rise", tags: ["Port fees"] });
  const draft = await app.make.article({
    section: economy,
    author,
    status: "draft",
    title: "Oil exports fall",
    tags: ["Port fees"],
  });
  const pages = ["/", `/section/${economy.slug}`, "/tag/port-fees", `/author/${author.slug}`];
  for (const path of pages) {
    const html = await app.html(path);
    expect(html).toContain("Harbour fees rise");
    expect(html).not.toContain("Oil exports fall");
  }
  // Those pages are now cached; a second request is a cache hit with the same ETag.
  const cachedEtag = (await app.get(`/section/${economy.slug}`)).headers.get("etag");
  expect((await app.get(`/section/${economy.slug}`)).headers.get("etag")).toBe(cachedEtag);
  expect((await app.get(`/${economy.slug}/${draft.slug}`)).status).toBe(404);

  await app.publish(draft.id);

  for (const path of pages) expect(await app.html(path)).toContain("Oil exports fall");
  expect(await app.html(`/${economy.slug}/${draft.slug}`)).toContain("Oil exports fall");
});

test("publishing leaves cached pages that do not show the article alone", async () => {
  const culture = await app.make.section({ name: "Culture desk" });
  const sport = await app.make.section({ name: "Sport desk" });
  await app.make.article({ section: culture, title: "Festival opens" });
  await app.html(`/section/${culture.slug}`);
  const entriesBefore = app.built.cache.stats().entries;
  const draft = await app.make.article({ section: sport, status: "draft", title: "Derby tonight" });
  const result = await content.publishArticle({ db: app.db, clock: app.built.clock }, { id: draft.id });
  const dropped = app.built.cache.invalidate(result.invalidates);
  expect(app.built.cache.get(`anon:/section/${culture.slug}?page=1`)).toBeDefined();
  expect(dropped).toBeLessThan(entriesBefore);
});

test("editing an article's slug makes the old address answer 301 to the new one", async () => {
  const article = await app.make.article({ title: "Ferry to Sarn delayed" });
  const oldPath = `/${article.section.slug}/${article.slug}`;
  expect((await app.get(oldPath)).status).toBe(200);
  const { invalidates } = await content.changeSlug(
    { db: app.db, clock: app.built.clock },
    { owner: "article", id: article.id, slug: "sarn-ferry-delayed" },
  );
  await app.built.invalidator.invalidate(invalidates);
  const res = await app.get(oldPath);
  expect(res.status).toBe(301);
  expect(res.headers.get("location")).toBe(`/${article.section.slug}/sarn-ferry-delayed`);
  expect(await app.html(`/${article.section.slug}/sarn-ferry-delayed`)).toContain("Ferry to Sarn delayed");
});

test("a renamed section answers 301 at its old address", async () => {
  const section = await app.make.section({ name: "Enviroment" });
  const { invalidates } = await content.changeSlug(
    { db: app.db, clock: app.built.clock },
    { owner: "section", id: section.id, slug: "environment-desk" },
  );
  await app.built.invalidator.invalidate(invalidates);
  const res = await app.get(`/section/${section.slug}`);
  expect(res.status).toBe(301);
  expect(res.headers.get("location")).toBe("/section/environment-desk");
});

test("an address that answered 404 shows the article once it is published there", async () => {
  const section = await app.make.section({ name: "Late desk" });
  const draft = await app.make.article({ section, status: "draft", title: "Night session ends" });
  const path = `/${section.slug}/${draft.slug}`;
  expect((await app.get(path)).status).toBe(404);
  expect((await app.get(path)).status).toBe(404);
  await app.publish(draft.id);
  expect((await app.get(path)).status).toBe(200);
});

test("long listings and long search results link to their next and previous pages", async () => {
  const section = await app.make.section({ name: "Archive desk" });
  const author = await app.make.author();
  for (let i = 0; i < 13; i++) await app.make.article({ section, author, title: `Quarry report ${i}` });
  const first = await app.html(`/section/${section.slug}`);
  expect(first).toContain(`<a rel="next" href="/section/${section.slug}?page=2">Older →</a>`);
  const second = await app.html(`/section/${section.slug}?page=2`);
  expect(second).toContain(`<a rel="prev" href="/section/${section.slug}">← Newer</a>`);
  const results = await app.html("/search?q=quarry");
  expect(results).toContain('<a rel="next" href="/search?q=quarry&amp;page=2">Next →</a>');
  expect(await app.html("/search?q=quarry&page=2")).toContain(
    '<a rel="prev" href="/search?q=quarry&amp;page=1">← Previous</a>',
  );
});

test("with the page cache off, an article's page shows an edit on the next request", async () => {
  const uncached = await startApp({ template: "empty", env: { PAGE_CACHE: "false" } });
  try {
    const article = await uncached.make.article({ title: "Tram line opens" });
    const path = `/${article.section.slug}/${article.slug}`;
    expect(await uncached.html(path)).toContain("Tram line opens");
    const fields = await content.readArticleFields(uncached.db, article.id);
    const [row] = await queryRows<{ version: number }>(
      uncached.db,
      sql`SELECT version FROM articles WHERE id = ${article.id}`,
    );
    const deps = { db: uncached.db, clock: uncached.built.clock };
    const edit = {
      id: article.id,
      baseVersion: row?.version ?? 0,
      fields: { ...fields, title: "Tram line opens on time" },
    };
    const result = await content.editArticle(deps, edit);
    if (result.kind !== "saved") throw new Error("the edit was refused");
    await uncached.built.invalidator.invalidate(result.invalidates);
    expect(await uncached.html(path)).toContain("Tram line opens on time");
  } finally {
    await uncached.close();
  }
});
