/** JSON-LD, Open Graph and Twitter tags on each page type, and the generated share card. */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}
function meta(html: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[:+]/g, "\\$&")}" content="([^"]*)"`);
  return re.exec(html)?.[1];
}

beforeAll(async () => {
  app = await startApp({ template: "demo" });
});
afterAll(async () => app.close());

describe("structured data", () => {
  test("the front page describes the site, its search and the news organisation with its social accounts", async () => {
    const data = jsonLd(await app.html("/"));
    const org = data.find((d) => d["@type"] === "NewsMediaOrganization");
    expect(org).toMatchObject({
      name: "The Meridian Post",
      sameAs: ["https://x.com/meridianpost", "https://www.facebook.com/meridianpost"],
    });
    const site = data.find((d) => d["@type"] === "WebSite");
    expect(site).toMatchObject({ potentialAction: { "@type": "SearchAction" } });
  });

  test("an article is a NewsArticle of its kind with dates, authors, publisher, image and breadcrumbs", async () => {
    const section = await app.make.section({ name: "Opinion desk" });
    const author = await app.make.author({ name: "Tomás Ferreira" });
    const article = await app.make.article({
      section,
      author,
      kind: "opinion",
      title: "The lagoon needs rules",
      tags: ["Ördek lagoon"],
    });
    const html = await app.html(`/${section.slug}/${article.slug}`);
    const [news, breadcrumbs] = jsonLd(html);
    expect(news).toMatchObject({
      "@type": "OpinionNewsArticle",
      headline: "The lagoon needs rules",
      author: [
        { "@type": "Person", name: "Tomás Ferreira", url: expect.stringMatching(/\/author\/tomas-ferreira(-\d+)?$/) },
      ],
      publisher: { "@type": "NewsMediaOrganization" },
      isAccessibleForFree: true,
      mainEntityOfPage: { "@type": "WebPage" },
    });
    expect(news?.datePublished).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(news?.dateModified).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(breadcrumbs).toMatchObject({ "@type": "BreadcrumbList" });
    expect(meta(html, "og:type")).toBe("article");
    expect(meta(html, "article:section")).toBe("Opinion desk");
    expect(meta(html, "article:tag")).toBe("Ördek lagoon");
    expect(meta(html, "article:published_time")).toMatch(/^\d{4}-/);
    expect(meta(html, "twitter:card")).toBe("summary_large_image");
    expect(meta(html, "twitter:site")).toBe("@meridianpost");
    expect(html).toMatch(/<link rel="canonical" href="http:\/\/localhost:\d+\/[a-z0-9-]+\/the-lagoon-needs-rules"/);
  });

  test("section, tag and author pages carry breadcrumbs, a canonical URL and Open Graph tags", async () => {
    const home = await app.html("/");
    const sectionPath = /href="(\/section\/[a-z-]+)"/.exec(home)![1]!;
    for (const path of [sectionPath]) {
      const html = await app.html(path);
      expect(jsonLd(html).some((d) => d["@type"] === "BreadcrumbList")).toBe(true);
      expect(meta(html, "og:title")).toBeTruthy();
      expect(meta(html, "og:url")).toMatch(new RegExp(`${path}$`));
    }
  });
});

describe("share images", () => {
  test("an article without a picture gets a generated 1200×630 card as its og:image", async () => {
    const article = await app.make.article({ title: "Ferry to Sarn resumes after storm" });
    const html = await app.html(`/${article.section.slug}/${article.slug}`);
    const image = meta(html, "og:image");
    expect(image).toMatch(new RegExp(`/share/${article.slug}\\.png$`));
    expect(meta(html, "og:image:width")).toBe("1200");
    const res = await app.get(new URL(image!).pathname);
    expect(res.headers.get("content-type")).toBe("image/png");
    const info = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(info).toMatchObject({ format: "png", width: 1200, height: 630 });
    const again = await app.get(new URL(image!).pathname);
    expect(again.headers.get("etag")).toBe(res.headers.get("etag"));
  });

  test("there is no card for an article that does not exist", async () => {
    expect((await app.get("/share/no-such-article.png")).status).toBe(404);
    expect((await app.get("/share/..%2F..%2Fetc.png")).status).toBe(404);
  });

  test("hasPart's selector wraps the gated paragraphs where the page shows them, and matches nothing elsewhere", async () => {
    const article = await app.make.article({
      accessLevel: "paid",
      isMetered: true,
      title: "Selector check",
      paragraphs: ["Free opening.", "Gated one.", "Gated two."],
      previewAfter: 1,
    });
    const path = `/${article.section.slug}/${article.slug}`;
    const selectorOf = (html: string) => {
      const page = jsonLd(html).find((d) => d.headline === "Selector check") as { hasPart?: { cssSelector?: string } };
      return page.hasPart?.cssSelector;
    };
    // A first metered read shows the whole article.
    const full = await app.html(path);
    expect(selectorOf(full)).toBe(".gated-text");
    expect(full.match(/class="gated-text"/g)).toHaveLength(1);
    expect(full).toContain('<div class="gated-text"><p>Gated one.</p><p>Gated two.</p></div>');
    // A used-up (forged) meter shows the preview and the subscribe box, which the selector does not name.
    const preview = await (await app.get(path, { headers: { cookie: "bs_meter=forged" } })).text();
    expect(preview).toContain('class="paywall"');
    expect(preview).not.toContain("Gated one.");
    expect(selectorOf(preview)).toBe(".gated-text");
    expect(preview).not.toContain('class="gated-text"');
  });
});
