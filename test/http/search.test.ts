/** Search: relevance, language, phrases, filters, the result cap, hostile queries, and never the gated text. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) =>
    m[1]!.replaceAll("&#39;", "'"),
  );

describe.each(databaseKinds())("search on %s", (kind) => {
  let app: TestApp;
  let columnist: { id: string; slug: string };

  async function search(query: string): Promise<string> {
    const res = await app.get(`/search?${query}`);
    expect(res.status).toBe(200);
    return res.text();
  }

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    const economy = await app.make.section({ name: "Economy" });
    const sport = await app.make.section({ name: "Sport" });
    columnist = await app.make.author({ name: "Nigar Quliyeva" });
    const economyArticles: [title: string, paragraphs?: string[]][] = [
      [
        "Dock workers describe life on the picket line",
        [
          "The harbour strike entered a third week.",
          "Harbour strike pickets stayed at the gates.",
          "More on the harbour strike.",
        ],
      ],
      ["Harbour strike ends after talks", ["Workers return on Monday."]],
      ["Negotiation over gas prices stalls", ["Talks continue."]],
      ["Ministry opens the wind tender", ["Bids are due in March."]],
      ["A tender for wind farms", ["The ministry, not the wind, decides."]],
      ["Ferry timetable changes for winter"],
      ["Dock crews join the union"],
      ["Cease-fire holds along the coast", ["The fire at the depot is out; a cease of hostilities holds."]],
    ];
    for (const [title, paragraphs] of economyArticles) {
      await app.make.article({ section: economy, title, ...(paragraphs ? { paragraphs } : {}) });
    }
    await app.make.article({
      section: sport,
      kind: "analysis",
      title: "Why the harbour derby matters",
      paragraphs: ["Rivalry."],
    });
    await app.make.article({
      section: economy,
      author: columnist,
      title: "Harbour views from the quay",
      paragraphs: ["Cranes and gulls."],
    });
    // More matches than search shows: written straight into the table, vectors as publishing makes them.
    await app.db.execute(sql`
      INSERT INTO articles (slug, title, section_id, status, body_doc, published_at, search_vector)
      SELECT 'quokka-' || g, 'Quokka census ' || g, ${economy.id}, 'published', '{"type":"doc","content":[]}',
             now() - g * interval '1 hour', setweight(to_tsvector('english', 'Quokka census ' || g), 'A')
        FROM generate_series(1, 230) g`);
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

    test("a phrase in the text is found, and its words apart or reversed are not", async () => {
      const html = await search(`q=${encodeURIComponent('"pickets stayed"')}`);
      expect(titlesIn(html)).toEqual(["Dock workers describe life on the picket line"]);
      // The reader's own quotes are not quoted again.
      expect(html).toMatch(/1 result for (&quot;|")pickets stayed(&quot;|")</);
      expect(titlesIn(await search(`q=${encodeURIComponent('"stayed pickets"')}`))).toEqual([]);
    });

    test("a phrase with a stop word inside matches across it", async () => {
      expect(titlesIn(await search(`q=${encodeURIComponent('"tender for wind"')}`))).toEqual([
        "A tender for wind farms",
      ]);
    });

    test("hyphen-joined words are a phrase", async () => {
      expect(titlesIn(await search("q=cease-fire"))).toEqual(["Cease-fire holds along the coast"]);
      expect(titlesIn(await search("q=fire-cease"))).toEqual([]);
    });

    test("an excluded phrase is left out, and a phrase or a word finds either", async () => {
      expect(titlesIn(await search(`q=${encodeURIComponent('ministry -"wind tender"')}`))).toEqual([
        "A tender for wind farms",
      ]);
      expect(titlesIn(await search(`q=${encodeURIComponent('"wind tender" or ferry')}`)).sort()).toEqual([
        "Ferry timetable changes for winter",
        "Ministry opens the wind tender",
      ]);
    });

    test("snippets highlight the matching words", async () => {
      expect(await search("q=pickets")).toContain("<mark>pickets</mark>");
    });

    test("filters narrow the results by section and kind", async () => {
      expect(titlesIn(await search("q=harbour&kind=analysis"))).toEqual(["Why the harbour derby matters"]);
      const sectionSlug = /href="\/section\/(sport-[a-z0-9]+|sport)"/.exec(await app.html("/"))?.[1];
      expect(titlesIn(await search(`q=harbour&section=${sectionSlug}`))).toEqual(["Why the harbour derby matters"]);
    });

    test("the author filter keeps that author's articles", async () => {
      expect(titlesIn(await search(`q=harbour&author=${columnist.slug}`))).toEqual(["Harbour views from the quay"]);
      expect(await search("q=harbour")).toContain(`<option value="${columnist.slug}">Nigar Quliyeva</option>`);
    });

    test("only the word being typed is a prefix: an excluded word stays excluded", async () => {
      expect(titlesIn(await search(`q=${encodeURIComponent("dock -union")}`))).toEqual([
        "Dock workers describe life on the picket line",
      ]);
      expect(titlesIn(await search("q=dock+cre"))).toEqual(["Dock crews join the union"]);
    });

    test("a date range keeps only articles published within it", async () => {
      expect(titlesIn(await search("q=harbour&from=2001-01-01&to=2001-12-31"))).toEqual([]);
    });
  });

  describe("many matches", () => {
    test("search shows the newest 100, ten pages of ten", async () => {
      const first = await search("q=quokka");
      expect(first).toContain("More than 100 results for “quokka”");
      expect(titlesIn(first)[0]).toBe("Quokka census 1");
      const last = titlesIn(await search("q=quokka&page=10"));
      expect(last).toHaveLength(10);
      expect(last.at(-1)).toBe("Quokka census 100");
      expect((await app.get("/search?q=quokka&page=11")).status).toBe(400);
    });

    test("a page past the last shows the last", async () => {
      expect(titlesIn(await search("q=harbour&page=7"))).toEqual(titlesIn(await search("q=harbour")));
    });
  });

  describe("search never reveals gated text", () => {
    test("words only in the gated part find the article, and an anonymous reader sees none of them", async () => {
      const html = await search("q=zeppelin");
      expect(titlesIn(html)).toEqual(["Inside the budget"]);
      expect(html).not.toContain("airship");
      expect(html).toContain("The budget was agreed overnight.");
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

    test("control characters are read as spaces; a NUL is refused with 400 naming the field", async () => {
      expect(titlesIn(await search("q=%02ferry%01timetable"))).toEqual(["Ferry timetable changes for winter"]);
      const refused = await app.get("/search?q=%00ferry");
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("contains a NUL character");
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
});
