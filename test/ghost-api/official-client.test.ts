/** Ghost's official JS client (@tryghost/content-api) works against Broadsheet unchanged. */
import GhostContentAPI, { type GhostObject } from "@tryghost/content-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type GhostTestApp, PUBLIC_URL, startGhostApp, unique } from "./ghost-app.js";

let ghost: GhostTestApp;

beforeAll(async () => {
  ghost = await startGhostApp();
});
afterAll(async () => ghost.app.close());

const slugsOf = (posts: GhostObject[]) => posts.map((p) => p.slug).sort();

/** What the client throws for an error response: Ghost's `type` as its name, the envelope's fields copied. */
async function errorOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error("expected the request to fail");
}

describe("browsing posts", () => {
  test("a browse is newest first with Ghost's pagination attached", async () => {
    const posts = await ghost.api.posts.browse({ limit: 2 });
    expect(posts).toHaveLength(2);
    expect(posts.meta.pagination).toMatchObject({ page: 1, limit: 2, next: 2, prev: null });
    expect(posts.meta.pagination.total).toBeGreaterThan(2);
    const [first, second] = posts.map((p) => Date.parse(String(p.published_at)));
    expect(first).toBeGreaterThanOrEqual(second!);
  });

  test("filters combine tags, featured and published_at with +, commas and parentheses", async () => {
    const budget = unique("budget");
    const strikes = unique("strikes");
    const a = await ghost.article({ tags: [budget], isFeatured: true, publishedAt: new Date("2021-03-01T10:00:00Z") });
    const b = await ghost.article({ tags: [budget], publishedAt: new Date("2021-06-01T10:00:00Z") });
    const c = await ghost.article({ tags: [strikes], isFeatured: true, publishedAt: new Date("2021-09-01T10:00:00Z") });
    const browse = async (filter: string) => slugsOf(await ghost.api.posts.browse({ filter, limit: "all" }));

    expect(await browse(`tag:${budget}`)).toEqual([a.slug, b.slug].sort());
    expect(await browse(`tag:${budget}+featured:true`)).toEqual([a.slug]);
    expect(await browse(`tag:${budget},tag:${strikes}`)).toEqual([a.slug, b.slug, c.slug].sort());
    expect(await browse(`tags:[${budget},${strikes}]+featured:false`)).toEqual([b.slug]);
    expect(await browse(`(tag:${budget},tag:${strikes})+featured:true`)).toEqual([a.slug, c.slug].sort());
    expect(await browse(`tag:${budget}+published_at:>'2021-04-01'`)).toEqual([b.slug]);
    expect(
      await browse(`(tag:${budget},tag:${strikes})+published_at:>='2021-03-01'+published_at:<'2021-07-01 00:00:00'`),
    ).toEqual([a.slug, b.slug].sort());
    expect(await browse(`tag:${budget}+slug:-${a.slug}`)).toEqual([b.slug]);
  });

  test("~ matches text literally: % and _ are not wildcards", async () => {
    const marker = unique("literal");
    const made = await ghost.article({ title: `Rents up 50% in ${marker}` });
    const browse = async (filter: string) => slugsOf(await ghost.api.posts.browse({ filter }));
    expect(await browse(`title:~'50% in ${marker}'`)).toEqual([made.slug]);
    expect(await browse(`title:~'5_% in ${marker}'`)).toEqual([]);
    expect(await browse(`title:~^'Rents up'+title:~$'${marker}'`)).toEqual([made.slug]);
  });

  test("primary_tag is the section, author the byline, and the kind an internal #tag", async () => {
    const section = await ghost.app.make.section();
    const analysis = await ghost.article({ section, kind: "analysis" });
    const news = await ghost.article({ section });
    const inSection = await ghost.api.posts.browse({ filter: `primary_tag:${section.slug}`, include: "authors" });
    expect(slugsOf(inSection)).toEqual([analysis.slug, news.slug].sort());
    const byline = inSection[0]!.primary_author as GhostObject;
    expect(slugsOf(await ghost.api.posts.browse({ filter: `author:${byline.slug}` }))).toEqual([inSection[0]!.slug]);
    const kinds = await ghost.api.posts.browse({ filter: `tag:${section.slug}+tag:hash-analysis` });
    expect(slugsOf(kinds)).toEqual([analysis.slug]);
  });

  test("include=tags,authors adds the lists and the primary tag and author", async () => {
    const topic = unique("harbour");
    const made = await ghost.article({ tags: [topic], kind: "opinion" });
    const post = await ghost.api.posts.read({ slug: made.slug }, { include: "tags,authors" });
    const tags = post.tags as GhostObject[];
    expect(tags.map((t) => [t.slug, t.visibility])).toEqual([
      [(post.primary_tag as GhostObject).slug, "public"],
      [topic, "public"],
      ["hash-opinion", "internal"],
    ]);
    expect(tags[0]!.url).toMatch(/^https:\/\/paper\.example\/section\//);
    expect((post.authors as GhostObject[])[0]).toEqual(post.primary_author);
  });

  test("fields narrows each post to exactly the fields asked for", async () => {
    const posts = await ghost.api.posts.browse({ fields: "title,slug,url", limit: 3 });
    for (const post of posts) expect(Object.keys(post).sort()).toEqual(["slug", "title", "url"]);
    expect(String(posts[0]!.url)).toMatch(/^https:\/\/paper\.example\/[a-z0-9-]+\/[a-z0-9-]+$/);
  });

  test("formats chooses html, plaintext or both", async () => {
    const made = await ghost.article({ paragraphs: ["Alpha sentence.", "Beta sentence."] });
    const plain = await ghost.api.posts.read({ id: made.id }, { formats: "plaintext" });
    expect(plain.plaintext).toBe("Alpha sentence.\n\nBeta sentence.");
    expect(plain).not.toHaveProperty("html");
    const both = await ghost.api.posts.read({ id: made.id }, { formats: "html,plaintext" });
    expect(both.html).toBe("<p>Alpha sentence.</p><p>Beta sentence.</p>");
    expect(both.plaintext).toBeDefined();
  });

  test("pages are numbered from 1 and limit=all is capped at 100", async () => {
    const second = await ghost.api.posts.browse({ limit: 1, page: 2 });
    expect(second.meta.pagination).toMatchObject({ page: 2, limit: 1, prev: 1, next: 3 });
    const firstTwo = await ghost.api.posts.browse({ limit: 2 });
    expect(second[0]!.id).toBe(firstTwo[1]!.id);
    const all = await ghost.api.posts.browse({ limit: "all" });
    expect(all.meta.pagination.limit).toBe(100);
    expect(all.length).toBe(Math.min(100, all.meta.pagination.total));
  });
});

describe("reading one", () => {
  test("a post reads by slug and by id, as one object", async () => {
    const made = await ghost.article();
    const bySlug = await ghost.api.posts.read({ slug: made.slug });
    const byId = await ghost.api.posts.read({ id: made.id });
    expect(bySlug).toEqual(byId);
    expect(bySlug).toMatchObject({ id: made.id, title: made.title, access: true, visibility: "public" });
  });

  test("a missing post is Ghost's NotFoundError", async () => {
    const err = await errorOf(ghost.api.posts.read({ slug: "no-such-post-anywhere" }));
    expect(err.name).toBe("NotFoundError");
    expect(err.message).toBe("Resource not found error, cannot read post.");
  });

  test("static pages read like posts, with show_title_and_feature_image", async () => {
    const pages = await ghost.api.pages.browse();
    expect(pages.length).toBeGreaterThan(0);
    const page = await ghost.api.pages.read({ slug: pages[0]!.slug });
    expect(page).toMatchObject({ access: true, visibility: "public", show_title_and_feature_image: true });
  });
});

describe("tags, authors, settings and tiers", () => {
  test("tags list sections and used tags, with their post counts", async () => {
    const topic = unique("ferries");
    await ghost.article({ tags: [topic] });
    await ghost.article({ tags: [topic] });
    const tag = await ghost.api.tags.read({ slug: topic }, { include: "count.posts" });
    expect(tag).toMatchObject({ slug: topic, visibility: "public", count: { posts: 2 } });
    expect(String(tag.url)).toBe(`${PUBLIC_URL}/tag/${topic}`);
    const tags = await ghost.api.tags.browse({ limit: "all", include: "count.posts", order: "count.posts desc" });
    const counts = tags.map((t) => (t.count as { posts: number }).posts);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    expect(await ghost.api.tags.read({ id: tag.id })).toMatchObject({ slug: topic });
  });

  test("authors are staff with published articles, without email", async () => {
    const authors = await ghost.api.authors.browse({ include: "count.posts" });
    expect(authors.length).toBeGreaterThan(0);
    for (const author of authors) {
      expect(author).not.toHaveProperty("email");
      expect((author.count as { posts: number }).posts).toBeGreaterThan(0);
    }
    const one = await ghost.api.authors.read({ slug: authors[0]!.slug });
    expect(one).toMatchObject({ id: authors[0]!.id, url: `${PUBLIC_URL}/author/${authors[0]!.slug}` });
  });

  test("settings are one object with the site's title, address and navigation", async () => {
    const settings = await ghost.api.settings.browse();
    expect(settings).toMatchObject({ url: `${PUBLIC_URL}/`, members_enabled: true, version: "6.0" });
    expect(typeof settings.title).toBe("string");
    expect((settings.navigation as unknown[]).length).toBeGreaterThan(1);
  });

  test("tiers are a free tier and the paid Digital access", async () => {
    const tiers = await ghost.api.tiers.browse();
    expect(tiers.map((t) => [t.name, t.type])).toEqual([
      ["Free", "free"],
      ["Digital access", "paid"],
    ]);
  });
});

describe("errors the client surfaces", () => {
  test("an unknown key is Ghost's UnauthorizedError", async () => {
    const stranger = GhostContentAPI({ url: ghost.app.url, key: "0123456789abcdef0123456789", version: "v5.0" });
    const err = await errorOf(stranger.posts.browse());
    expect(err).toMatchObject({ name: "UnauthorizedError", code: "UNKNOWN_CONTENT_API_KEY" });
    expect((err.response as { status: number }).status).toBe(401);
  });

  test("a malformed filter is a BadRequestError, never a server error", async () => {
    const err = await errorOf(ghost.api.posts.browse({ filter: "tag:news+" }));
    expect(err).toMatchObject({ name: "BadRequestError", property: "filter" });
    expect(err.message).toMatch(/^Error parsing filter/);
  });

  test("filtering on html or plaintext is refused", async () => {
    for (const filter of ["html:~'budget'", "plaintext:~'budget'"]) {
      const err = await errorOf(ghost.api.posts.browse({ filter }));
      expect(err).toMatchObject({ name: "BadRequestError", code: "FILTER_FIELD_NOT_ALLOWED" });
    }
  });
});
