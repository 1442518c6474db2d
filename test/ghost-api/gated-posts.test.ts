/** A Content API key reads what an anonymous visitor reads: gated text never leaves, and can't be probed for. */
import { afterAll, beforeAll, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { paragraphsDoc } from "../support/make.js";
import { type GhostTestApp, startGhostApp, unique } from "./ghost-app.js";

let ghost: GhostTestApp;
const SECRET = "Secret sentence about the minister's memo.";

beforeAll(async () => {
  ghost = await startGhostApp();
});
afterAll(async () => ghost.app.close());

test("a paid post comes back with access false, its free part only, and no gated sentence anywhere", async () => {
  const topic = unique("memo");
  const made = await ghost.article({
    tags: [topic],
    accessLevel: "paid",
    paragraphs: ["Free.", SECRET],
    previewAfter: 1,
  });
  const post = await ghost.api.posts.read({ slug: made.slug }, { formats: "html,plaintext", include: "tags,authors" });
  expect(post).toMatchObject({
    access: false,
    visibility: "paid",
    html: "<p>Free.</p>",
    plaintext: "Free.",
    excerpt: "Free.",
  });
  for (const path of [
    `/posts/slug/${made.slug}/?formats=html,plaintext&include=tags,authors`,
    `/posts/?filter=tag:${topic}%2Bvisibility:paid&formats=html,plaintext`,
    `/posts/?filter=tag:${topic}&fields=html,plaintext,excerpt,custom_excerpt,meta_description,og_description`,
    `/posts/${made.id}/?formats=plaintext,mobiledoc,lexical`,
  ]) {
    const body = await (await ghost.get(path)).text();
    expect(body).toContain("Free.");
    expect(body).not.toContain("Secret sentence");
    expect(body).not.toContain("memo.");
  }
});

test("a metered post is a preview too: a key has no meter to spend", async () => {
  const made = await ghost.article({
    accessLevel: "paid",
    isMetered: true,
    paragraphs: ["Metered opening.", "Metered secret about the port authority."],
    previewAfter: 1,
  });
  const body = await (await ghost.get(`/posts/${made.id}/?formats=html,plaintext`)).text();
  expect(body).toContain("Metered opening.");
  expect(body).not.toContain("port authority");
});

test("a registered-only post is for members and comes back as its preview", async () => {
  const made = await ghost.article({
    accessLevel: "registered",
    paragraphs: ["Opening paragraph.", "For members only."],
    previewAfter: 1,
  });
  const post = await ghost.api.posts.read({ id: made.id });
  expect(post).toMatchObject({ access: false, visibility: "members", html: "<p>Opening paragraph.</p>" });
});

test("a public post with a preview boundary is read in full", async () => {
  const made = await ghost.article({ paragraphs: ["One.", "Two."], previewAfter: 1 });
  const post = await ghost.api.posts.read({ id: made.id }, { formats: "html,plaintext" });
  expect(post).toMatchObject({ access: true, html: "<p>One.</p><p>Two.</p>", plaintext: "One.\n\nTwo." });
});

test("reading time counts the whole article, as Ghost's does: its length goes out, never its words", async () => {
  const long = Array.from({ length: 20 }, (_, i) => `Paragraph ${i} ${"gatedword ".repeat(60)}`);
  const made = await ghost.article({ accessLevel: "paid", paragraphs: ["Short free part.", ...long], previewAfter: 1 });
  const res = await ghost.get(`/posts/${made.id}/?formats=html,plaintext`);
  const text = await res.text();
  // 3 + 20 × 62 words at 275 a minute: 4.5 minutes, rounded.
  expect((JSON.parse(text) as { posts: { reading_time: number }[] }).posts[0]!.reading_time).toBe(5);
  expect(text).not.toContain("gatedword");
});

test("gated text can't be searched, sorted or probed through filter, order or fields", async () => {
  const made = await ghost.article({ accessLevel: "paid", paragraphs: ["Free.", SECRET], previewAfter: 1 });
  for (const query of [
    "filter=plaintext:~'Secret'",
    "filter=html:~'Secret'",
    "filter=gated_text:~'Secret'",
    "filter=gatedHtml:~'Secret'",
    "filter=body:~'Secret'",
    "filter=authors.email:~'example'",
    "filter=email:x",
    `filter=slug:${made.slug}+plaintext:~'Secret'`,
    "order=plaintext asc",
    "order=html desc",
  ]) {
    const res = await ghost.get(`/posts/?${query}`);
    expect(res.status, query).toBe(400);
    const body = (await res.json()) as { errors: { type: string }[] };
    expect(body.errors[0]?.type).toBe("BadRequestError");
  }
  const narrowed = await (await ghost.get(`/posts/${made.id}/?fields=gated_html,gatedHtml,gated_text,body_doc`)).json();
  expect(narrowed).toEqual({ posts: [{}] });
});

test("drafts, scheduled and unpublished posts are in no answer, whatever alternatives a filter offers", async () => {
  const topic = unique("embargo");
  const deps = { db: ghost.app.db, clock: ghost.app.built.clock };
  const section = await ghost.app.make.section();
  const author = await ghost.app.make.author();
  const unpublishedArticle = async (title: string) =>
    content.createArticle(deps, {
      title,
      dek: "",
      kind: "news",
      sectionId: section.id,
      authorIds: [author.id],
      tagNames: [topic],
      accessLevel: "public",
      isMetered: false,
      isFeatured: true,
      body: paragraphsDoc(["Embargoed until the minister speaks."]),
    });
  const published = await ghost.article({ tags: [topic] });
  const draft = await unpublishedArticle(unique("Draft"));
  const scheduled = await unpublishedArticle(unique("Scheduled"));
  await content.publishArticle(deps, { id: scheduled.id, at: new Date(Date.now() + 86_400_000) });
  const withdrawn = await ghost.article({ tags: [topic] });
  await ghost.app.built.invalidator.invalidate((await content.unpublishArticle(deps, withdrawn.id)).invalidates);

  for (const filter of [
    `tag:${topic}`,
    `tags:[${topic},nothing-else]`,
    `slug:${withdrawn.slug},tag:${topic}`,
    `slug:${draft.slug},slug:${scheduled.slug},tag:${topic}`,
    `(id:'${draft.id}',id:'${withdrawn.id}'),slug:${published.slug}`,
  ]) {
    const res = await ghost.get(`/posts/?filter=${encodeURIComponent(filter)}&fields=slug&limit=all`);
    expect(res.status, filter).toBe(200);
    const body = (await res.json()) as { posts: { slug: string }[]; meta: { pagination: { total: number } } };
    expect(body.posts, filter).toEqual([{ slug: published.slug }]);
    expect(body.meta.pagination.total, filter).toBe(1);
  }
  for (const slug of [draft.slug, scheduled.slug, withdrawn.slug]) {
    expect((await ghost.get(`/posts/slug/${slug}/`)).status, slug).toBe(404);
  }
});
