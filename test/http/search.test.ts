/** Search: relevance, language, phrases, filters, hostile queries, and never the gated text. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) =>
    m[1]!.replaceAll("&#39;", "'"),
  );

async function search(query: string): Promise<string> {
  const res = await app.get(`/search?${query}`);
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  app = await startApp({ template: "empty" });
  const economy = await app.make.section({ name: "Economy" });
  const sport = await app.make.section({ name: "Sport" });
  await app.make.article({
    section: economy,
    title: "Dock workers describe life on the picket line",
    paragraphs: [
      "The harbour strike entered a third week.",
      "Harbour strike pickets stayed at the gates.",
      "More on the harbour strike.",
    ],
  });
  await app.make.article({
    section: economy,
    title: "Harbour strike ends after talks",
    paragraphs: ["Workers return on Monday."],
  });
  await app.make.article({
    section: economy,
    title: "Negotiation over gas prices stalls",
    paragraphs: ["Talks continue."],
  });
  await app.make.article({
    section: economy,
    title: "Ministry opens the wind tender",
    paragraphs: ["Bids are due in March."],
  });
  await app.make.article({
    section: economy,
    title: "A tender for wind farms",
    paragraphs: ["The ministry, not the wind, decides."],
  });
  await app.make.article({
    section: sport,
    kind: "analysis",
    title: "Why the harbour derby matters",
    paragraphs: ["Rivalry."],
  });
  await app.make.article({
    section: economy,
    accessLevel: "paid",
    title: "Inside the budget",
    paragraphs: ["The budget was agreed overnight.", "A secret zeppelin clause funds the airship museum."],
    previewAfter: 1,
  });
});
afterAll(async () => app.close());

describe("search relevance", () => {
  test("a match in the headline ranks above matches only in the text", async () => {
    const titles = titlesIn(await search("q=harbour+strike"));
    expect(titles[0]).toBe("Harbour strike ends after talks");
    expect(titles).toContain("Dock workers describe life on the picket line");
  });

  test('"negotiations" finds "negotiation": words are stemmed in the site language', async () => {
    expect(titlesIn(await search("q=negotiations"))).toEqual(["Negotiation over gas prices stalls"]);
  });

  test("a word's beginning finds it", async () => {
    expect(titlesIn(await search("q=negotiat"))).toEqual(["Negotiation over gas prices stalls"]);
  });

  test("a quoted phrase matches the words together and in order", async () => {
    const titles = titlesIn(await search(`q=${encodeURIComponent('"wind tender"')}`));
    expect(titles).toContain("Ministry opens the wind tender");
    expect(titles).not.toContain("A tender for wind farms");
  });

  test("snippets highlight the matching words", async () => {
    expect(await search("q=pickets")).toContain("<mark>pickets</mark>");
  });

  test("filters narrow the results by section and kind", async () => {
    expect(titlesIn(await search("q=harbour&kind=analysis"))).toEqual(["Why the harbour derby matters"]);
    const sectionSlug = /href="\/section\/(sport-[a-z0-9]+|sport)"/.exec(await app.html("/"))?.[1];
    expect(titlesIn(await search(`q=harbour&section=${sectionSlug}`))).toEqual(["Why the harbour derby matters"]);
  });

  test("a date range keeps only articles published within it", async () => {
    expect(titlesIn(await search("q=harbour&from=2001-01-01&to=2001-12-31"))).toEqual([]);
  });
});

describe("search never reveals gated text", () => {
  test("words only in the gated part find nothing", async () => {
    const html = await search("q=zeppelin");
    expect(titlesIn(html)).toEqual([]);
    expect(html).not.toContain("airship");
  });

  test("the article is found by its preview, and its snippet comes from the preview", async () => {
    const html = await search("q=budget");
    expect(titlesIn(html)).toEqual(["Inside the budget"]);
    expect(html).not.toContain("zeppelin");
  });
});

describe("hostile queries", () => {
  test.each([
    "'; DROP TABLE articles; --",
    '"',
    "''''",
    "a & | ! ( ) :* <-> <2>",
    "harbour:* & !strike",
    "\\",
    "%00",
    "🙂",
  ])("%j gives a page, never an error", async (q) => {
    const res = await app.get(`/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Search</h1>");
  });

  test("a 10,000-character query gives a page", async () => {
    const res = await app.get(`/search?q=${"harbour+".repeat(1250)}`);
    expect(res.status).toBe(200);
  });

  test("bad filters are a 400 with a message", async () => {
    for (const query of ["q=a&kind=poetry", "q=a&from=yesterday", "q=a&page=0", "q=a&page=abc"]) {
      expect((await app.get(`/search?${query}`)).status).toBe(400);
    }
  });

  test("an empty query shows the form without results", async () => {
    const html = await search("q=");
    expect(html).toContain('name="q"');
    expect(html).not.toContain("results-heading");
  });
});
