/**
 * Search after a rename: a tag's or a byline's name is in the search vectors of the articles carrying it, so
 * renaming it through the newsroom finds them by the new name and no longer by the old, and spelling suggestions
 * (tags are readable words) follow; a deleted tag's name finds nothing. Section names are not in the vector.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, makeStaff, signedInStaff, signInAs } from "../support/newsroom.js";

const titlesFound = async (app: TestApp, query: string) => {
  const res = await app.get(`/search?q=${encodeURIComponent(query)}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  return [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);
};

describe.each(databaseKinds())("search after renames on %s", (kind) => {
  let app: TestApp;
  let editorCookie: string;

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    editorCookie = (await signedInStaff(app, "editor")).cookie;
  });
  afterAll(async () => {
    await app?.close();
  });

  const tagIdOf = async (name: string) => {
    const res = await api(app, "GET", "/admin/api/tags", { cookie: editorCookie });
    const { tags } = (await res.json()) as { tags: { id: string; name: string }[] };
    return tags.find((t) => t.name === name)!.id;
  };
  const isSuggestionWord = async (word: string) =>
    (await queryRows<{ word: string }>(app.db, sql`SELECT word FROM search_words WHERE word = ${word}`)).length > 0;

  test("a renamed tag finds its articles by the new name, not the old, drafts included", async () => {
    await app.make.article({ title: "Ferry crews vote on new rota", tags: ["Zebrafish"] });
    await app.make.article({ title: "Quay lights replaced", tags: ["Zebrafish"] });
    const draft = await app.make.article({ title: "Harbour dredging resumes", tags: ["Zebrafish"], status: "draft" });
    expect(await titlesFound(app, "zebrafish")).toHaveLength(2);
    expect(await isSuggestionWord("zebrafish")).toBe(true);

    const id = await tagIdOf("Zebrafish");
    const renamed = await api(app, "PUT", `/admin/api/tags/${id}`, {
      cookie: editorCookie,
      body: { name: "Axolotl", description: "" },
    });
    expect(renamed.status).toBe(200);
    expect((await titlesFound(app, "axolotl")).sort()).toEqual([
      "Ferry crews vote on new rota",
      "Quay lights replaced",
    ]);
    expect(await titlesFound(app, "zebrafish")).toEqual([]);
    expect(await isSuggestionWord("axolotl")).toBe(true);
    expect(await isSuggestionWord("zebrafish")).toBe(false);

    // The draft's vector too (the newsroom's own search reads it).
    const [vector] = await queryRows<{ words: string }>(
      app.db,
      sql`SELECT search_vector::text AS words FROM articles WHERE id = ${draft.id}`,
    );
    expect(vector?.words).toContain("axolotl");
    expect(vector?.words).not.toContain("zebrafish");
  });

  test("a deleted tag's name no longer finds the articles that had it", async () => {
    await app.make.article({ title: "Lighthouse keeper retires", tags: ["Cormorant"] });
    expect(await titlesFound(app, "cormorant")).toEqual(["Lighthouse keeper retires"]);
    const gone = await api(app, "DELETE", `/admin/api/tags/${await tagIdOf("Cormorant")}`, { cookie: editorCookie });
    expect(gone.status).toBe(204);
    expect(await titlesFound(app, "cormorant")).toEqual([]);
    expect(await isSuggestionWord("cormorant")).toBe(false);
    expect(await titlesFound(app, "lighthouse keeper")).toEqual(["Lighthouse keeper retires"]);
  });

  test("a byline renamed in its profile finds the writer's articles by the new name, not the old", async () => {
    const writer = await makeStaff(app, "author");
    const cookie = await signInAs(app, writer.email);
    const setName = (name: string) =>
      api(app, "PUT", "/admin/api/profile", { cookie, body: { name, bio: "", xHandle: null } });
    expect((await setName("Ilkin Qaragozov")).status).toBe(200);
    await app.make.article({ title: "Tide tables for the spring", author: { id: writer.id, slug: "" } });
    expect(await titlesFound(app, "qaragozov")).toEqual(["Tide tables for the spring"]);

    expect((await setName("Ilkin Mammadli")).status).toBe(200);
    expect(await titlesFound(app, "mammadli")).toEqual(["Tide tables for the spring"]);
    expect(await titlesFound(app, "qaragozov")).toEqual([]);
  });
});
