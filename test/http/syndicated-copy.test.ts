/**
 * Syndicated and agency copy: an article saved through the newsroom API with a source and a canonical address is
 * credited under the byline, named in its JSON-LD, canonical on its page and in the Content API, and carried by the
 * feeds; the source's fields are checked, and a refused save writes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { paragraphsDoc } from "../support/make.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

let app: TestApp;
let editor: StaffAccount;

beforeAll(async () => {
  app = await startApp({ template: "demo" });
  editor = await signedInStaff(app, "editor");
});
afterAll(async () => app.close());

const ORIGINAL = "https://www.azernews.az/region/248133.html";

async function save(section: { id: string }, extra: Record<string, unknown>, title = "Border talks resume in Baku") {
  return api(app, "POST", "/admin/api/articles", {
    cookie: editor.cookie,
    body: {
      title,
      dek: "Delegations meet for a third round.",
      kind: "news",
      sectionId: section.id,
      authorIds: [editor.id],
      body: paragraphsDoc(["The delegations met on Monday.", "Talks continue on Tuesday."]),
      accessLevel: "public",
      ...extra,
    },
  });
}

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}

describe("syndicated copy", () => {
  test("is credited under the byline, named in JSON-LD, canonical, and carried by the API and the feeds", async () => {
    const section = await app.make.section({ name: "Region desk" });
    const saved = await save(section, { sourceName: "AzerNEWS", sourceUrl: ORIGINAL, canonicalUrl: ORIGINAL });
    expect(saved.status).toBe(201);
    const { article } = (await saved.json()) as { article: { id: string; slug: string } };
    const read = await api(app, "GET", `/admin/api/articles/${article.id}`, { cookie: editor.cookie });
    expect((await read.json()).article.fields).toMatchObject({ sourceName: "AzerNEWS", sourceUrl: ORIGINAL });
    const published = await api(app, "POST", `/admin/api/articles/${article.id}/publish`, {
      cookie: editor.cookie,
      body: {},
    });
    expect(published.status).toBe(200);

    const html = await app.html(`/${section.slug}/${article.slug}`);
    expect(html).toMatch(
      /<p class="byline">[\s\S]*?<\/p><p class="article-source">Source: <a href="https:\/\/www\.azernews\.az\/region\/248133\.html" rel="nofollow noopener">AzerNEWS<\/a><\/p>/,
    );
    expect(html).toContain(`<link rel="canonical" href="${ORIGINAL}"`);
    const news = jsonLd(html).find((d) => d["@type"] === "ReportageNewsArticle");
    expect(news).toMatchObject({
      isBasedOn: ORIGINAL,
      sourceOrganization: { "@type": "Organization", name: "AzerNEWS", url: "https://www.azernews.az/" },
    });

    const { key } = await createContentApiKey(app.db, "syndication test");
    const post = await (await app.get(`/ghost/api/content/posts/${article.id}/?key=${key}`)).json();
    expect(post.posts[0].canonical_url).toBe(ORIGINAL);

    const rss = await app.html(`/section/${section.slug}/feed`);
    expect(rss).toContain(`<source url="${ORIGINAL}">AzerNEWS</source>`);
    expect(rss).toMatch(/<dc:creator>[^<]+<\/dc:creator>/);
    const atom = await app.html(`/section/${section.slug}/feed/atom`);
    expect(atom).toContain(`<contributor>\n<name>AzerNEWS</name>\n<uri>${ORIGINAL}</uri>\n</contributor>`);
    const json = JSON.parse(await app.html(`/section/${section.slug}/feed/json`));
    expect(json.items[0]).toMatchObject({ external_url: ORIGINAL, _source: { name: "AzerNEWS", url: ORIGINAL } });
  });

  test("a wire agency named without a link is credited as text, and no feed invents a link", async () => {
    const section = await app.make.section({ name: "Wire desk" });
    const saved = await save(section, { sourceName: "Reuters" }, "Oil output steady");
    const { article } = (await saved.json()) as { article: { id: string; slug: string } };
    await api(app, "POST", `/admin/api/articles/${article.id}/publish`, { cookie: editor.cookie, body: {} });
    const html = await app.html(`/${section.slug}/${article.slug}`);
    expect(html).toContain('<p class="article-source">Source: Reuters</p>');
    expect(jsonLd(html).find((d) => d["@type"] === "ReportageNewsArticle")).toMatchObject({
      sourceOrganization: { "@type": "Organization", name: "Reuters" },
    });
    expect(html).not.toContain("isBasedOn");
    const rss = await app.html(`/section/${section.slug}/feed`);
    expect(rss).toContain("<dc:source>Reuters</dc:source>");
    expect(rss).not.toContain("<source ");
  });

  test("a source's fields are checked: http(s) only, a name for a link, lengths; nothing is written", async () => {
    const section = await app.make.section({ name: "Checked desk" });
    const refusals: [Record<string, unknown>, string][] = [
      [{ sourceName: "AzerNEWS", sourceUrl: "javascript:alert(1)" }, "INVALID_URL"],
      [{ sourceName: "AzerNEWS", sourceUrl: "/region/248133" }, "INVALID_URL"],
      [{ sourceName: "AzerNEWS", sourceUrl: "ftp://azernews.az/x" }, "INVALID_URL"],
      [{ sourceUrl: ORIGINAL }, "SOURCE_NAME_REQUIRED"],
      [{ sourceName: "   ", sourceUrl: ORIGINAL }, "SOURCE_NAME_REQUIRED"],
    ];
    for (const [fields, code] of refusals) {
      const res = await save(section, fields, "Refused source");
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await errorCodeOf(res)).toBe(code);
    }
    for (const fields of [
      { sourceName: "A".repeat(201) },
      { sourceName: "A", sourceUrl: `${ORIGINAL}?${"x".repeat(2000)}` },
    ]) {
      const res = await save(section, fields, "Refused source");
      expect(res.status).toBe(400);
      const body = (await res.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toMatch(/source/i);
    }
    const list = await api(app, "GET", "/admin/api/articles?q=Refused", { cookie: editor.cookie });
    expect((await list.json()).articles).toEqual([]);
  });
});
