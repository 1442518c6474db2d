/**
 * Search results from the page cache: one page per reader class and normalised query, kept until an article
 * changes, in a share of the cache of its own, so a crawler's made-up queries never push other pages out.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { signedInStaff } from "../support/newsroom.js";

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

describe.each(databaseKinds())("search results in the page cache on %s", (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind, env: { SEARCH_RATE_LIMIT: "0" } });
  });
  afterAll(async () => app.close());

  test("a repeated search is answered from the cache until a publish, which brings the new article in", async () => {
    const section = await app.make.section({ name: "Coast" });
    await app.make.article({ section, title: "Lighthouse keepers walk out" });
    expect(titlesIn(await app.html("/search?q=lighthouse"))).toEqual(["Lighthouse keepers walk out"]);
    expect(app.built.cache.stats().shares.search?.entries).toBe(1);

    // Written straight to the database, as no route would: a search read afresh would find it.
    await app.make.article({ section, title: "Lighthouse lamp restored" });
    // The same query however its address is written: spaces, empty filters, the order of the parameters.
    for (const path of [
      "/search?q=lighthouse",
      "/search?q=%20lighthouse%20&section=&kind=",
      "/search?kind=&q=lighthouse",
    ]) {
      expect(titlesIn(await app.html(path)), path).toEqual(["Lighthouse keepers walk out"]);
    }
    expect(app.built.cache.stats().shares.search?.entries).toBe(1);

    const draft = await app.make.article({ section, title: "Lighthouse museum opens", status: "draft" });
    await app.publish(draft.id);
    expect(titlesIn(await app.html("/search?q=lighthouse")).sort()).toEqual([
      "Lighthouse keepers walk out",
      "Lighthouse lamp restored",
      "Lighthouse museum opens",
    ]);
  });

  test("each reader class has its own page of results, and a signed-in one stays private", async () => {
    await app.make.article({ title: "Quayside cranes idle" });
    const anonymous = await app.get("/search?q=quayside");
    expect(await anonymous.text()).toContain("Sign in");
    expect(anonymous.headers.get("cache-control")).toContain("public");
    const staff = await signedInStaff(app, "editor");
    const staffPage = await app.get("/search?q=quayside", { headers: { cookie: staff.cookie } });
    const staffHtml = await staffPage.text();
    expect(staffHtml).toContain("Staff view");
    expect(titlesIn(staffHtml)).toEqual(["Quayside cranes idle"]);
    expect(staffPage.headers.get("cache-control")).toBe("private, no-cache");
    // Both kept, neither served to the other.
    expect(await (await app.get("/search?q=quayside")).text()).not.toContain("Staff view");
    expect(await (await app.get("/search?q=quayside", { headers: { cookie: staff.cookie } })).text()).toContain(
      "Staff view",
    );
  });

  test("the same address asked again without cookies is answered at the front door", async () => {
    await app.make.article({ title: "Ferry timetable changes" });
    await (await app.get("/search?q=ferry&page=1")).arrayBuffer();
    const remembered = app.built.cache.pageAtAddress("/search?q=ferry&page=1");
    expect(remembered?.page.body.toString()).toContain("Ferry timetable changes");
  });
});

describe("a crawler making up queries", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({
      template: "empty",
      env: { PAGE_CACHE_MB: "1", SEARCH_CACHE_MB: "1", SEARCH_RATE_LIMIT: "0" },
    });
  });
  afterAll(async () => app.close());

  test("fills only the search share: a cached article and the address it answers stay", async () => {
    const article = await app.make.article({ title: "Harbour master retires" });
    const path = `/${article.section.slug}/${article.slug}`;
    await (await app.get(path)).arrayBuffer();
    const cached = app.built.cache.pageAtAddress(path);
    expect(cached).toBeDefined();

    // Well past either budget: in the main one, these pages would have pushed the article out.
    let bytes = 0;
    for (let i = 0; bytes < 2 * 1024 * 1024; i++) {
      const res = await app.get(`/search?q=harbour+${i}x`);
      expect(res.status).toBe(200);
      bytes += (await res.arrayBuffer()).byteLength;
    }
    const { shares } = app.built.cache.stats();
    expect(shares.search?.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(app.built.cache.pageAtAddress("/search?q=harbour+0x")).toBeUndefined();
    expect(app.built.cache.pageAtAddress(path)?.page).toBe(cached?.page);
  });
});
