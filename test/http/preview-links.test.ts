/** Preview links over HTTP: made in the newsroom, opened on the reader site, as anonymous readers and subscribers. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";

const GATED = "The minister resigned an hour before the vote.";

describe.each(databaseKinds())("preview links on %s", (kind) => {
  let app: TestApp;
  let editor: StaffAccount;
  let contributor: StaffAccount;
  const clock = fixedClock(new Date("2031-06-01T09:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    editor = await signedInStaff(app, "editor");
    contributor = await signedInStaff(app, "contributor");
  });
  afterAll(() => app.close());

  const draft = (title: string) =>
    app.make.article({
      title,
      status: "draft",
      accessLevel: "paid",
      paragraphs: ["The Assembly sat late.", GATED, "Her deputy takes over."],
      previewAfter: 1,
    });
  const linksFor = async (id: string, as = editor) => {
    const res = await api(app, "POST", `/admin/api/articles/${id}/preview-links`, { cookie: as.cookie, body: {} });
    expect(res.status).toBe(201);
    return (await res.json()).previewLinks as { anonymous: string; subscriber: string; expiresAt: string };
  };
  const open = (url: string, cookie?: string) => fetch(url, { headers: cookie ? { cookie } : {} });

  test("a draft opens as an anonymous reader sees it (wall, no gated text) and as a subscriber does (in full)", async () => {
    const article = await draft("Minister quits before budget vote");
    const links = await linksFor(article.id);
    expect(links.expiresAt).toBe(new Date(clock.now().getTime() + 3_600_000).toISOString());
    expect(new URL(links.anonymous).pathname).toMatch(/^\/preview\//);

    const anonymous = await open(links.anonymous);
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get("cache-control")).toBe("private, no-store");
    expect(anonymous.headers.get("x-robots-tag")).toBe("noindex");
    const anonymousHtml = await anonymous.text();
    expect(anonymousHtml).toContain("Minister quits before budget vote");
    expect(anonymousHtml).toContain("The Assembly sat late.");
    expect(anonymousHtml).toContain("This article is for subscribers");
    expect(anonymousHtml).not.toContain("resigned an hour");
    expect(anonymousHtml).not.toContain("Her deputy");
    expect(anonymousHtml).toContain('<meta name="robots" content="noindex"/>');
    expect(anonymousHtml).toContain("not published (draft)");

    const subscriberHtml = await (await open(links.subscriber)).text();
    expect(subscriberHtml).toContain(GATED);
    expect(subscriberHtml).toContain("Her deputy takes over.");
    expect(subscriberHtml).not.toContain("This article is for subscribers");

    // A staff cookie changes nothing: the link alone decides who the page is for.
    expect(await (await open(links.anonymous, editor.cookie)).text()).not.toContain("resigned an hour");
    // The draft itself is still nowhere on the site.
    expect((await app.get(`/${article.section.slug}/${article.slug}`)).status).toBe(404);
  });

  test("preview pages never enter the page cache", async () => {
    const article = await draft("Harbour levy doubled");
    const links = await linksFor(article.id);
    const before = app.built.cache.stats().entries;
    await (await open(links.anonymous)).text();
    await (await open(links.subscriber)).text();
    expect(app.built.cache.stats().entries).toBe(before);
  });

  test("a tampered link is 404, an expired one 410", async () => {
    const article = await draft("Tunnel tender reopened");
    const links = await linksFor(article.id);
    const token = new URL(links.anonymous).pathname.split("/")[2]!;
    const [id, audience, expiry, signature] = token.split(".");
    const tampered = [
      `${id}.subscriber.${expiry}.${signature}`,
      `${id}.${audience}.${Number(expiry) + 86_400}.${signature}`,
      `${id}.${audience}.${expiry}.${signature!.slice(0, -2)}AA`,
      `${id}.${audience}.${expiry}`,
      "not-a-token",
    ];
    for (const bad of tampered) {
      const res = await app.get(`/preview/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(await res.text()).not.toContain("Tunnel tender");
    }
    clock.advance(3_600_000 - 1000);
    expect((await open(links.anonymous)).status).toBe(200);
    clock.advance(1000);
    const expired = await open(links.anonymous);
    expect(expired.status).toBe(410);
    expect(await expired.text()).not.toContain("Tunnel tender");
  });

  test("whoever may read the article in the newsroom may make links; others get 403", async () => {
    const colleagues = await draft("Pension reform drafted");
    expect(
      (
        await api(app, "POST", `/admin/api/articles/${colleagues.id}/preview-links`, {
          cookie: contributor.cookie,
          body: {},
        })
      ).status,
    ).toBe(403);
    const ownRes = await api(app, "POST", "/admin/api/articles", {
      cookie: contributor.cookie,
      body: {
        title: "My first draft",
        kind: "news",
        sectionId: colleagues.section.id,
        authorIds: [contributor.id],
        body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Hello." }] }] },
      },
    });
    const own = (await ownRes.json()).article;
    const links = await linksFor(own.id, contributor);
    expect(await (await open(links.anonymous)).text()).toContain("My first draft");
  });
});
