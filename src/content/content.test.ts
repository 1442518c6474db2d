import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { makers, paragraphsDoc } from "../../test/support/make.js";
import { fixedClock } from "../shared/clock.js";
import {
  cacheTags,
  changeSlug,
  createArticle,
  findArticleForReading,
  findHomePage,
  findSlugRedirect,
  listArticles,
  listSections,
  publishArticle,
  publishArticles,
} from "./index.js";

describe.each(databaseKinds())("content on %s", (kind) => {
  let test_db: TestDatabase;
  const clock = fixedClock(new Date("2026-11-20T09:00:00Z"));
  let make: ReturnType<typeof makers>;
  let deps: { db: TestDatabase["database"]["db"]; clock: typeof clock };

  beforeAll(async () => {
    test_db = await openTestDatabase(kind);
    deps = { db: test_db.database.db, clock };
    make = makers(deps);
  });
  afterAll(async () => test_db.close());

  test("a draft is not readable and publishing makes it so, with the pages to refresh", async () => {
    const draft = await make.article({ status: "draft", title: "Oil exports fall" });
    expect(await findArticleForReading(deps.db, draft.slug)).toBeUndefined();
    const result = await publishArticle(deps, { id: draft.id });
    expect(result.status).toBe("published");
    expect(result.invalidates).toEqual(
      expect.arrayContaining([
        cacheTags.article(draft.id),
        cacheTags.section(draft.section.id),
        cacheTags.home,
        cacheTags.search,
        cacheTags.author(draft.author.id),
      ]),
    );
    const article = await findArticleForReading(deps.db, draft.slug);
    expect(article?.title).toBe("Oil exports fall");
    expect(article?.publishedAt.toISOString()).toBe(clock.now().toISOString());
    expect(article?.firstPublishedAt.toISOString()).toBe(clock.now().toISOString());
  });

  test("publishing again changes nothing", async () => {
    const article = await make.article();
    expect(await publishArticle(deps, { id: article.id })).toEqual({
      status: "published",
      version: 2,
      invalidates: [],
    });
  });

  test("a future time schedules the article instead of publishing it", async () => {
    const draft = await make.article({ status: "draft" });
    const result = await publishArticle(deps, { id: draft.id, at: new Date(clock.now().getTime() + 3_600_000) });
    expect(result).toEqual({ status: "scheduled", version: 2, invalidates: [] });
    expect(await findArticleForReading(deps.db, draft.slug)).toBeUndefined();
  });

  test("slugs are unique: the same headline twice gets a numbered slug", async () => {
    const section = await make.section();
    const first = await make.article({ section, title: "Budget passes the Assembly" });
    const second = await make.article({ section, title: "Budget passes the Assembly" });
    expect(first.slug).toBe("budget-passes-the-assembly");
    expect(second.slug).toBe("budget-passes-the-assembly-2");
  });

  test("a renamed article keeps answering at its old slug", async () => {
    const article = await make.article({ title: "Ferry link to Sarn opens" });
    await changeSlug(deps, { owner: "article", id: article.id, slug: "sarn-ferry-opens" });
    expect(await findSlugRedirect(deps.db, "article", "ferry-link-to-sarn-opens")).toEqual({
      slug: "sarn-ferry-opens",
      sectionSlug: article.section.slug,
    });
    // A new article may not take the old address: it still redirects.
    const next = await make.article({ title: "Ferry link to Sarn opens" });
    expect(next.slug).toBe("ferry-link-to-sarn-opens-2");
  });

  test("renaming to a slug in use is a conflict that changes nothing", async () => {
    const one = await make.article();
    const two = await make.article();
    await expect(changeSlug(deps, { owner: "article", id: one.id, slug: two.slug })).rejects.toMatchObject({
      code: "SLUG_TAKEN",
    });
    expect((await findArticleForReading(deps.db, one.slug))?.id).toBe(one.id);
  });

  test("an invalid body is rejected and nothing is written", async () => {
    const section = await make.section();
    const author = await make.author();
    await expect(
      createArticle(deps, {
        title: "Bad body",
        kind: "news",
        sectionId: section.id,
        authorIds: [author.id],
        body: { type: "doc", content: [{ type: "script", content: [] }] },
      }),
    ).rejects.toMatchObject({ code: "INVALID_DOCUMENT" });
    const list = await listArticles(deps.db, { kind: "section", sectionId: section.id }, 1);
    expect(list.total).toBe(0);
  });

  test("an unknown section is rejected without a half-written article", async () => {
    const author = await make.author();
    await expect(
      createArticle(deps, {
        title: "Nowhere",
        kind: "news",
        sectionId: "00000000-0000-4000-8000-000000000000",
        authorIds: [author.id],
        body: paragraphsDoc(["x"]),
      }),
    ).rejects.toMatchObject({ code: "UNKNOWN_SECTION" });
  });

  test("tags are created once and matched regardless of case", async () => {
    const a = await make.article({ tags: ["Kestrel gas field", "Budget"] });
    const b = await make.article({ tags: ["kestrel GAS field"] });
    const readA = await findArticleForReading(deps.db, a.slug);
    const readB = await findArticleForReading(deps.db, b.slug);
    expect(readA?.tags.map((t) => t.slug)).toEqual(["kestrel-gas-field", "budget"]);
    expect(readB?.tags[0]?.id).toBe(readA?.tags[0]?.id);
  });

  test("listings page through published articles, newest first", async () => {
    const section = await make.section();
    const author = await make.author();
    for (let i = 0; i < 14; i++) {
      await make.article({
        section,
        author,
        title: `Story ${i}`,
        publishedAt: new Date(clock.now().getTime() - (14 - i) * 60_000),
      });
    }
    await make.article({ section, author, status: "draft", title: "Unpublished" });
    const first = await listArticles(deps.db, { kind: "section", sectionId: section.id }, 1);
    const second = await listArticles(deps.db, { kind: "section", sectionId: section.id }, 2);
    expect(first).toMatchObject({ total: 14, pages: 2, page: 1 });
    expect(first.items[0]?.title).toBe("Story 13");
    expect(second.items.map((a) => a.title)).toEqual(["Story 1", "Story 0"]);
    const byAuthor = await listArticles(deps.db, { kind: "author", staffId: author.id }, 1);
    expect(byAuthor.total).toBe(14);
    const beyond = await listArticles(deps.db, { kind: "section", sectionId: section.id }, 9);
    expect(beyond).toMatchObject({ items: [], pages: 2 });
  });

  test("the gated part is stored apart from the preview", async () => {
    const article = await make.article({
      accessLevel: "paid",
      paragraphs: ["Free opening.", "Paid analysis one.", "Paid analysis two."],
      previewAfter: 1,
    });
    const read = await findArticleForReading(deps.db, article.slug);
    expect(read?.previewHtml).toBe("<p>Free opening.</p>");
    expect(read?.gatedHtml).toBe("<p>Paid analysis one.</p><p>Paid analysis two.</p>");
    expect(read?.previewText).not.toContain("Paid analysis");
    expect(read?.hasGatedPart).toBe(true);
  });

  test("related articles are chosen on publishing: shared tags first, and a new article joins its neighbours' lists", async () => {
    const politics = await make.section();
    const sport = await make.section();
    const older = await make.article({ section: sport, title: "Assembly budget vote delayed", tags: ["Budget 2027"] });
    await make.article({ section: politics, title: "Harbour regatta results" });
    const fresh = await make.article({ section: sport, title: "Budget vote tomorrow", tags: ["Budget 2027"] });
    const read = await findArticleForReading(deps.db, fresh.slug);
    expect(read?.related[0]?.id).toBe(older.id);
    expect(read?.related.length).toBeGreaterThanOrEqual(2);
    expect(read?.related.length).toBeLessThanOrEqual(6);
    const olderRead = await findArticleForReading(deps.db, older.slug);
    expect(olderRead?.related[0]?.id).toBe(fresh.id);
  });

  test("articles published together are each other's related articles, with the pages of all of them to refresh", async () => {
    const section = await make.section();
    const first = await make.article({
      section,
      status: "draft",
      title: "Ferry strike called",
      tags: ["Ferry strike"],
    });
    const second = await make.article({ section, status: "draft", title: "Ferry strike ends", tags: ["Ferry strike"] });
    const invalidates = await publishArticles(deps, [{ id: first.id }, { id: second.id }]);
    expect(invalidates).toEqual(
      expect.arrayContaining([
        cacheTags.article(first.id),
        cacheTags.article(second.id),
        cacheTags.section(section.id),
      ]),
    );
    expect((await findArticleForReading(deps.db, first.slug))?.related[0]?.id).toBe(second.id);
    expect((await findArticleForReading(deps.db, second.slug))?.related[0]?.id).toBe(first.id);
  });

  test("the front page has a lead, and blocks per section", async () => {
    const sections = await listSections(deps.db);
    const home = await findHomePage(deps.db, sections);
    expect(home.lead).toBeDefined();
    expect(home.bySection.length + home.latest.length + home.top.length).toBeGreaterThan(0);
  });
});
