/** The Content API on the wire: keys, status codes, Ghost's error envelope, headers, CORS and hostile input. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CONTENT_API_KEYS_TAG, createContentApiKey, revokeContentApiKey } from "../../src/ghost-api/index.js";
import { type GhostTestApp, startGhostApp } from "./ghost-app.js";

let ghost: GhostTestApp;

beforeAll(async () => {
  ghost = await startGhostApp();
});
afterAll(async () => ghost.app.close());

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type ErrorBody = { errors: Record<string, unknown>[] };

async function expectError(res: Response, status: number, type: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0]).toMatchObject({ type });
  return body.errors[0]!;
}

describe("keys", () => {
  test("no key is 403 NoPermissionError, in Ghost's full error envelope", async () => {
    const error = await expectError(await ghost.get("/posts/", { key: null }), 403, "NoPermissionError");
    expect(Object.keys(error).sort()).toEqual(
      ["code", "context", "details", "ghostErrorCode", "help", "id", "message", "property", "type"].sort(),
    );
    expect(error).toMatchObject({
      message: "Authorization failed",
      context: null,
      details: null,
      id: expect.any(String),
    });
  });

  test("an unknown, malformed or revoked key is 401; a repeated key is 400", async () => {
    await expectError(await ghost.get("/posts/", { key: "0123456789abcdef0123456789" }), 401, "UnauthorizedError");
    await expectError(await ghost.get("/posts/", { key: "'%20OR%201=1--" }), 401, "UnauthorizedError");
    const revoked = await createContentApiKey(ghost.app.db, "old app");
    expect((await ghost.get("/settings/", { key: revoked.key })).status).toBe(200);
    // As the command line does: revoke, then tell the servers the keys changed.
    await revokeContentApiKey(ghost.app.db, revoked.id);
    await ghost.app.built.invalidator.invalidate([CONTENT_API_KEYS_TAG]);
    await expectError(await ghost.get("/settings/", { key: revoked.key }), 401, "UnauthorizedError");
    await expectError(await ghost.get(`/posts/?key=${ghost.key}`), 400, "BadRequestError");
  });
});

describe("the post object", () => {
  test("a post has exactly Ghost's keys, with ISO dates carrying an offset", async () => {
    const made = await ghost.article({ title: "A post to look at closely" });
    const res = await ghost.get(`/posts/${made.id}/`);
    const body = (await res.json()) as { posts: Record<string, unknown>[]; meta?: unknown };
    expect(body).not.toHaveProperty("meta");
    expect(body.posts[0]).toMatchInlineSnapshot(
      {
        id: expect.stringMatching(UUID),
        uuid: expect.stringMatching(UUID),
        comment_id: expect.stringMatching(UUID),
        slug: expect.any(String),
        url: expect.stringMatching(/^https:\/\/paper\.example\/section-[0-9a-f]+\/a-post-to-look-at-closely/),
        created_at: expect.stringMatching(ISO_WITH_OFFSET),
        updated_at: expect.stringMatching(ISO_WITH_OFFSET),
        published_at: expect.stringMatching(ISO_WITH_OFFSET),
      },
      `
      {
        "access": true,
        "canonical_url": null,
        "codeinjection_foot": null,
        "codeinjection_head": null,
        "comment_id": StringMatching /\\^\\[0-9a-f\\]\\{8\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{12\\}\\$/,
        "comments": false,
        "created_at": StringMatching /\\^\\\\d\\{4\\}-\\\\d\\{2\\}-\\\\d\\{2\\}T\\\\d\\{2\\}:\\\\d\\{2\\}:\\\\d\\{2\\}\\\\\\.\\\\d\\{3\\}\\[\\+-\\]\\\\d\\{2\\}:\\\\d\\{2\\}\\$/,
        "custom_excerpt": null,
        "custom_template": null,
        "email_subject": null,
        "excerpt": "First paragraph. Second paragraph.",
        "feature_image": null,
        "feature_image_alt": null,
        "feature_image_caption": null,
        "featured": false,
        "frontmatter": null,
        "html": "<p>First paragraph.</p><p>Second paragraph.</p>",
        "id": StringMatching /\\^\\[0-9a-f\\]\\{8\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{12\\}\\$/,
        "meta_description": null,
        "meta_title": null,
        "og_description": null,
        "og_image": null,
        "og_title": null,
        "published_at": StringMatching /\\^\\\\d\\{4\\}-\\\\d\\{2\\}-\\\\d\\{2\\}T\\\\d\\{2\\}:\\\\d\\{2\\}:\\\\d\\{2\\}\\\\\\.\\\\d\\{3\\}\\[\\+-\\]\\\\d\\{2\\}:\\\\d\\{2\\}\\$/,
        "reading_time": 0,
        "slug": Any<String>,
        "title": "A post to look at closely",
        "twitter_description": null,
        "twitter_image": null,
        "twitter_title": null,
        "updated_at": StringMatching /\\^\\\\d\\{4\\}-\\\\d\\{2\\}-\\\\d\\{2\\}T\\\\d\\{2\\}:\\\\d\\{2\\}:\\\\d\\{2\\}\\\\\\.\\\\d\\{3\\}\\[\\+-\\]\\\\d\\{2\\}:\\\\d\\{2\\}\\$/,
        "url": StringMatching /\\^https:\\\\/\\\\/paper\\\\\\.example\\\\/section-\\[0-9a-f\\]\\+\\\\/a-post-to-look-at-closely/,
        "uuid": StringMatching /\\^\\[0-9a-f\\]\\{8\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{4\\}-\\[0-9a-f\\]\\{12\\}\\$/,
        "visibility": "public",
      }
    `,
    );
  });

  test("include adds Ghost's tag and author objects", async () => {
    const made = await ghost.article();
    const res = await ghost.get(`/posts/${made.id}/?include=tags,authors,count.posts,tiers`);
    const [post] = ((await res.json()) as { posts: Record<string, Record<string, unknown>>[] }).posts;
    expect(Object.keys(post!.primary_tag!)).toMatchInlineSnapshot(`
      [
        "id",
        "name",
        "slug",
        "description",
        "feature_image",
        "visibility",
        "og_image",
        "og_title",
        "og_description",
        "twitter_image",
        "twitter_title",
        "twitter_description",
        "meta_title",
        "meta_description",
        "codeinjection_head",
        "codeinjection_foot",
        "canonical_url",
        "accent_color",
        "url",
      ]
    `);
    expect(Object.keys(post!.primary_author!)).toMatchInlineSnapshot(`
      [
        "id",
        "name",
        "slug",
        "profile_image",
        "cover_image",
        "bio",
        "website",
        "location",
        "facebook",
        "twitter",
        "threads",
        "bluesky",
        "mastodon",
        "tiktok",
        "youtube",
        "instagram",
        "linkedin",
        "meta_title",
        "meta_description",
        "url",
      ]
    `);
  });
});

describe("dates, settings, tiers and newsletters", () => {
  test("dates go out at whole seconds, and filters compare them as Ghost, which stores seconds, does", async () => {
    const made = await ghost.article({ publishedAt: new Date("2019-03-05T19:30:15.600Z") });
    const ids = async (filter: string) => {
      const res = await ghost.get(
        `/posts/?fields=id,published_at&filter=${encodeURIComponent(`id:'${made.id}'+${filter}`)}`,
      );
      expect(res.status, filter).toBe(200);
      return ((await res.json()) as { posts: { id: string }[] }).posts.map((p) => p.id);
    };
    const [post] = ((await (await ghost.get(`/posts/${made.id}/`)).json()) as { posts: Record<string, string>[] })
      .posts;
    for (const date of [post!.published_at, post!.created_at, post!.updated_at])
      expect(date).toMatch(/:\d{2}\.000[+-]/);
    expect(new Date(post!.published_at!).toISOString()).toBe("2019-03-05T19:30:15.000Z");
    const second = "'2019-03-05 19:30:15'";
    expect(await ids(`published_at:>${second}`)).toEqual([]);
    expect(await ids(`published_at:<=${second}`)).toEqual([made.id]);
    expect(await ids(`published_at:>=${second}`)).toEqual([made.id]);
    expect(await ids(`published_at:<${second}`)).toEqual([]);
    expect(await ids(`published_at:${second}`)).toEqual([made.id]);
    expect(await ids(`published_at:['2019-03-05 19:30:14',${second}]`)).toEqual([made.id]);
    expect(await ids("published_at:>'2019-03-05T19:30:14.999Z'")).toEqual([made.id]);
    expect(await ids("published_at:<'2019-03-05T19:30:15.001Z'")).toEqual([made.id]);
    expect(await ids("published_at:'2019-03-05T19:30:15.600Z'")).toEqual([]);
  });

  test("settings carry every key Ghost's Content API sends", async () => {
    const { settings } = (await (await ghost.get("/settings/")).json()) as { settings: Record<string, unknown> };
    // Ghost's public settings (settings-cache/public.js) and the two its serializer adds.
    const ghostKeys = [
      ...["title", "description", "logo", "icon", "accent_color", "cover_image", "facebook", "twitter", "lang"],
      ...["locale", "timezone", "codeinjection_head", "codeinjection_foot", "navigation", "secondary_navigation"],
      ...["meta_title", "meta_description", "og_image", "og_title", "og_description", "twitter_image"],
      ...["twitter_title", "twitter_description", "members_support_address", "members_enabled"],
      ...["donations_enabled", "allow_self_signup", "members_invite_only", "members_signup_access"],
      ...["paid_members_enabled", "firstpromoter_account", "portal_button_style", "portal_button_signup_text"],
      ...["portal_button_icon", "portal_signup_terms_html", "portal_signup_checkbox_required", "portal_plans"],
      ...["portal_default_plan", "portal_name", "portal_button", "portal_transistor_heading"],
      ...["portal_transistor_description", "portal_transistor_button_text", "comments_enabled"],
      ...["recommendations_enabled", "outbound_link_tagging", "default_email_address", "support_email_address"],
      ...["editor_default_email_recipients", "labs", "site_uuid", "url", "version"],
    ];
    expect(Object.keys(settings).sort()).toEqual(ghostKeys.sort());
    expect(settings).toMatchObject({ allow_self_signup: true, members_signup_access: "all", labs: {} });
    expect(settings.site_uuid).toMatch(UUID);
  });

  test("tiers carry their dates", async () => {
    const { tiers } = (await (await ghost.get("/tiers/")).json()) as { tiers: Record<string, unknown>[] };
    for (const tier of tiers) {
      expect(tier.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      expect(tier.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    }
  });

  test("newsletters are the active ones the newsroom keeps, by sort order, with Ghost's keys", async () => {
    const res = await ghost.get("/newsletters/");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { newsletters: Record<string, unknown>[]; meta: unknown };
    expect(body.meta).toEqual({ pagination: { page: 1, limit: 15, pages: 1, total: 3, next: null, prev: null } });
    for (const newsletter of body.newsletters) {
      expect(Object.keys(newsletter).sort()).toEqual(
        [
          ...["id", "uuid", "name", "description", "slug", "sender_email", "subscribe_on_signup", "visibility"],
          ...["sort_order", "created_at", "updated_at"],
        ].sort(),
      );
      expect(newsletter.uuid).toMatch(UUID);
      expect(newsletter.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    }
    expect(body.newsletters.map((n) => [n.slug, n.visibility, n.subscribe_on_signup, n.sort_order])).toEqual([
      ["morning-briefing", "members", true, 0],
      ["analysis", "paid", false, 1],
      ["breaking-news", "members", false, 2],
    ]);
    expect(await ghost.api.newsletters.browse()).toHaveLength(3);
  });
});

describe("parameters", () => {
  test("limit, page and formats are read as Ghost reads them", async () => {
    const page = async (query: string) =>
      ((await (await ghost.get(`/posts/?${query}`)).json()) as { meta: { pagination: Record<string, unknown> } }).meta
        .pagination;
    expect(await page("limit=0")).toMatchObject({ limit: 15, page: 1 });
    expect(await page("limit=500&page=0")).toMatchObject({ limit: 100, page: 1 });
    const beyond = await (await ghost.get("/posts/?limit=1&page=100000")).json();
    expect(beyond).toMatchObject({ posts: [], meta: { pagination: { page: 100000, next: 100001, prev: 99999 } } });
    await expectError(await ghost.get("/posts/?limit=abc"), 422, "ValidationError");
    await expectError(await ghost.get("/posts/?limit=-1"), 422, "ValidationError");
    await expectError(await ghost.get("/posts/?page=abc"), 422, "ValidationError");
    await expectError(await ghost.get("/posts/?formats=pdf"), 422, "ValidationError");
  });

  test("unknown parameters and includes are dropped, as Ghost drops them", async () => {
    const res = await ghost.get("/posts/?limit=1&debug=true&absolute_urls=false&include=tiers,sentiment&slug=x");
    expect(res.status).toBe(200);
    const { posts } = (await res.json()) as { posts: Record<string, unknown>[] };
    expect(posts[0]).not.toHaveProperty("tiers");
  });

  test("hostile filters and orders are refused with 400 or answered, never a server error", async () => {
    const answers: Record<string, number> = {};
    const hostile = [
      "x".repeat(10_000),
      `slug:${"(".repeat(500)}`,
      `${"(".repeat(20)}slug:abc${")".repeat(20)}`,
      Array.from({ length: 200 }, (_, i) => `slug:s${i}`).join(","),
      "'",
      "slug:'",
      "slug:'x'';DROP TABLE articles;--'",
      "slug:'%' ",
      "title:~'%_\\\\'",
      "id:not-a-uuid",
      "id:[1,2,3]",
      "published_at:>'yesterday'",
      "published_at:>'2021-02-31'",
      "published_at:>now-99999999y",
      "featured:maybe",
      "featured:>true",
      "visibility:[public,paid]",
      "__proto__:x",
      "constructor:x",
      "tag:null",
      "tag:-null",
      "primary_tag:>a",
      "count.posts:>1",
    ];
    for (const filter of hostile) {
      const res = await ghost.get(`/posts/?filter=${encodeURIComponent(filter)}`);
      answers[filter.slice(0, 40)] = res.status;
      expect([200, 400], filter.slice(0, 80)).toContain(res.status);
      if (res.status === 400) expect(((await res.json()) as ErrorBody).errors[0]?.type).toBe("BadRequestError");
    }
    for (const order of ["title; DROP TABLE articles", "title sideways", "published_at desc,", "__proto__ asc"]) {
      expect([200, 400], order).toContain((await ghost.get(`/posts/?order=${encodeURIComponent(order)}`)).status);
    }
    expect(answers["slug:'x'';DROP TABLE articles;--'"]).toBe(400);
    expect(answers[`${"(".repeat(20)}slug:abc${")".repeat(20)}`.slice(0, 40)]).toBe(200);
    const escapedQuote = encodeURIComponent("slug:'x\\';DROP TABLE articles;--'");
    expect(await (await ghost.get(`/posts/?filter=${escapedQuote}`)).json()).toMatchObject({ posts: [] });
    expect((await ghost.get("/posts/?limit=1")).status).toBe(200);
  });
});

describe("routes and headers", () => {
  test("an address without its trailing slash redirects to it, query and all", async () => {
    const res = await ghost.get("/posts?limit=1");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/ghost/api/content/posts/?limit=1&key=${ghost.key}`);
  });

  test("answers are public to caches and browsers, and name the API version", async () => {
    const res = await ghost.get("/tags/", { headers: { "Accept-Version": "v5.0" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("public, max-age=0");
    expect(res.headers.get("content-version")).toBe("v6.0");
    expect(res.headers.get("vary")).toContain("Accept-Version");
    const etag = res.headers.get("etag")!;
    expect((await ghost.get("/tags/", { headers: { "If-None-Match": etag, "Accept-Version": "v5.0" } })).status).toBe(
      304,
    );
  });

  test("errors are not cached, still carry CORS, and unknown routes are Ghost's 404", async () => {
    const res = await ghost.get("/nothing-here/");
    const error = await expectError(res, 404, "NotFoundError");
    expect(error.message).toBe("Resource not found");
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });

  test("addresses refused before routing answer in Ghost's envelope too: 414 for an over-long one, 400", async () => {
    for (const [path, status] of [
      [`/posts/slug/${"a".repeat(300)}/`, 414],
      [`/posts/?filter=${"x".repeat(13_000)}`, 414],
      ["/posts/slug/%E0%A4%A/", 400],
    ] as const) {
      const res = await ghost.get(path);
      const error = await expectError(res, status, "BadRequestError");
      expect(error.message).toMatch(/^That address is/);
      expect(Object.keys(error)).toHaveLength(9);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.headers.get("cache-control")).toContain("no-store");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    }
  });

  test("a browser's CORS preflight is answered without a key", async () => {
    const res = await ghost.app.get("/ghost/api/content/posts/?key=x", {
      method: "OPTIONS",
      headers: {
        Origin: "https://reader.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept-version",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-methods")).toContain("GET");
    expect(res.headers.get("access-control-allow-headers")).toBe("accept-version");
  });
});
