/** Gated text never reaches a reader who may not read it: not in the page, its metadata, or the cache. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;
const SECRET = "The minister's private memo says the budget is short by 400 million crowns.";

beforeAll(async () => {
  app = await startApp({ template: "empty" });
});
afterAll(async () => app.close());

test("an anonymous reader of a paid article gets the preview and the subscribe ask, and no gated sentence anywhere", async () => {
  const article = await app.make.article({
    title: "Inside the budget talks",
    accessLevel: "paid",
    paragraphs: ["Talks resumed on Monday.", SECRET, "A vote is due on Friday."],
    previewAfter: 1,
  });
  const path = `/${article.section.slug}/${article.slug}`;
  for (let i = 0; i < 3; i++) {
    // Miss, then cache hits: none of them may contain the gated part.
    const html = await app.html(path);
    expect(html).toContain("Talks resumed on Monday.");
    expect(html).toContain("This article is for subscribers");
    expect(html).not.toContain("private memo");
    expect(html).not.toContain("vote is due on Friday");
    expect(html).toContain('"isAccessibleForFree":false');
    // The selector names the gated paragraphs' wrapper, which the preview page does not have: not the subscribe box.
    expect(html).toContain('"cssSelector":".gated-text"');
    expect(html).not.toContain('class="gated-text"');
  }
  for (const path2 of ["/", `/section/${article.section.slug}`, `/author/${article.author.slug}`]) {
    expect(await app.html(path2)).not.toContain("private memo");
  }
});

test("a registered-only article asks anonymous readers to register", async () => {
  const article = await app.make.article({
    accessLevel: "registered",
    paragraphs: ["Opening paragraph.", "Registered readers only."],
    previewAfter: 1,
  });
  const html = await app.html(`/${article.section.slug}/${article.slug}`);
  expect(html).toContain("Register to keep reading");
  expect(html).not.toContain("Registered readers only.");
});

test("a public article is read in full and marked free", async () => {
  const article = await app.make.article({ paragraphs: ["One.", "Two.", "Three.", "Four."], previewAfter: 1 });
  const html = await app.html(`/${article.section.slug}/${article.slug}`);
  expect(html).toContain("<p>Four.</p>");
  expect(html).toContain('"isAccessibleForFree":true');
});
