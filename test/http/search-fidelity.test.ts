/**
 * Search marks what it matched, schwas included ("Zangazur" marks "Zəngəzur", as "Baki" marks "Bakı"), and its
 * "did you mean" list follows what is published: a word leaves it with the last published article that held it.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
const suggestionIn = (html: string) => /Did you mean <a href="[^"]+">([^<]+)<\/a>\?/.exec(html)?.[1];

describe.each(databaseKinds())("search fidelity on %s", (kind) => {
  let app: TestApp;
  let section: { id: string; slug: string; name: string };

  async function search(text: string): Promise<string> {
    const res = await app.get(`/search?q=${encodeURIComponent(text)}`);
    expect(res.status).toBe(200);
    return res.text();
  }

  /**
   * Unpublishes or edits as the newsroom does, then drops the pages that showed the article. The misspellings
   * below differ from the word before their last two letters, so the word being typed finds nothing as a prefix.
   */
  async function unpublish(id: string) {
    const result = await content.unpublishArticle({ db: app.db, clock: app.built.clock }, id);
    await app.built.invalidator.invalidate(result.invalidates);
  }
  async function rewrite(id: string, paragraphs: string[], previewAfter?: number) {
    const fields = await content.readArticleFields(app.db, id);
    const [row] = await queryRows<{ version: number }>(app.db, sql`SELECT version FROM articles WHERE id = ${id}`);
    const result = await content.editArticle(
      { db: app.db, clock: app.built.clock },
      { id, baseVersion: row!.version, fields: { ...fields, body: paragraphsDoc(paragraphs, previewAfter) } },
    );
    if (result.kind !== "saved") throw new Error("the edit met a conflict");
    await app.built.invalidator.invalidate(result.invalidates);
  }

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    section = await app.make.section({ name: "Region" });
  });
  afterAll(async () => app?.close());

  test("a search without the schwa or the dotless i marks the words as printed", async () => {
    await app.make.article({
      section,
      title: "Road works in the south",
      paragraphs: ["Crews reached Zəngəzur and ZƏNGƏZUR signs went up; Bakı sent engineers."],
    });
    const zangazur = await search("Zangazur");
    expect(titlesIn(zangazur)).toEqual(["Road works in the south"]);
    expect(zangazur).toContain("<mark>Zəngəzur</mark>");
    expect(zangazur).toContain("<mark>ZƏNGƏZUR</mark>");
    expect(await search("Baki")).toContain("<mark>Bakı</mark>");
    // Typed with the schwa, it is found and marked alike.
    expect(await search("Zəngəzur")).toContain("<mark>Zəngəzur</mark>");
  });

  test("unpublishing the only article that holds a word takes it out of the suggestions", async () => {
    const article = await app.make.article({ section, title: "Quarantine for the flamingos" });
    expect(suggestionIn(await search("flamengos"))).toBe("flamingos");
    await unpublish(article.id);
    expect(suggestionIn(await search("flamengos"))).toBeUndefined();
    await app.publish(article.id);
    expect(suggestionIn(await search("flamengos"))).toBe("flamingos");
  });

  test("a word two articles hold stays while one of them is published", async () => {
    const first = await app.make.article({ section, title: "Pelicans return to the lagoon" });
    const second = await app.make.article({ section, title: "Counting pelicans at dawn" });
    await unpublish(first.id);
    expect(suggestionIn(await search("pelikans"))).toBe("pelicans");
    await unpublish(second.id);
    expect(suggestionIn(await search("pelikans"))).toBeUndefined();
  });

  test("a word edited out of a published article leaves the suggestions, and the new one joins", async () => {
    const article = await app.make.article({
      section,
      title: "Harvest report",
      paragraphs: ["The pomegranate harvest was early."],
    });
    expect(suggestionIn(await search("pomegranite"))).toBe("pomegranate");
    await rewrite(article.id, ["The persimmon harvest was early."]);
    expect(suggestionIn(await search("pomegranite"))).toBeUndefined();
    expect(suggestionIn(await search("persymmon"))).toBe("persimmon");
  });

  test("a word only a gated part holds is never suggested, and stays out when the article changes", async () => {
    const article = await app.make.article({
      section,
      title: "Budget talks",
      accessLevel: "paid",
      paragraphs: ["Ministers met late.", "A clause on the aqueduct surprised everyone."],
      previewAfter: 1,
    });
    expect(titlesIn(await search("aqueduct"))).toEqual(["Budget talks"]);
    expect(suggestionIn(await search("akueduct"))).toBeUndefined();
    await rewrite(article.id, ["Ministers met late again.", "A clause on the aqueduct surprised everyone."], 1);
    expect(suggestionIn(await search("akueduct"))).toBeUndefined();
  });
});
