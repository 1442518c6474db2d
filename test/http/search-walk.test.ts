/**
 * Search looks for a word among the newest articles first and in the text index when too few are there: common,
 * rare, old-only and absent words each give exactly their articles, newest first, whichever way they were found.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { SEARCH_MAX_RESULTS, type SearchOrder, WORD_WALK } from "../../src/content/search.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";

/** Bulletin 1 is the newest; the walk reaches Bulletin WORD_WALK, and the older ones only the index. */
const BULLETINS = WORD_WALK + 300;
const beyondWalk = (n: number) => WORD_WALK + n;
/** Which bulletins hold each word in their text (every one holds "routine"). */
const HOLDING: Record<string, (g: number) => boolean> = {
  lantern: (g) => [7, 480, beyondWalk(20), beyondWalk(250)].includes(g),
  meridian: (g) => g > beyondWalk(100),
  quarry: (g) => g % 20 === 0,
  ledger: (g) => g === 9,
};
/** Bulletins whose headline holds "Ledger". */
const LEDGER_HEADLINES = [2, beyondWalk(50)];

const numbers = (holds: (g: number) => boolean) => Array.from({ length: BULLETINS }, (_, i) => i + 1).filter(holds);
const titles = (gs: number[]) =>
  gs.map((g) => (LEDGER_HEADLINES.includes(g) ? `Ledger bulletin ${g}` : `Bulletin ${g}`));

describe.each(databaseKinds())("search's walk and text index on %s", (kind) => {
  let app: TestApp;

  /** Every result a search shows, page by page, and the total it reports. */
  async function everyResult(text: string, order: SearchOrder = "newest") {
    const found: string[] = [];
    let total = 0;
    for (let page = 1, pages = 1; page <= pages; page++) {
      const results = await content.searchArticles(app.db, {
        text,
        language: "en",
        order,
        readableLevels: [],
        page,
      });
      found.push(...results.items.map((hit) => hit.article.title));
      ({ pages, total } = results);
    }
    return { found, total };
  }

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    const section = await app.make.section({ name: "Wire" });
    const wordsOf = (g: number) =>
      ["routine", ...Object.entries(HOLDING).flatMap(([word, holds]) => (holds(g) ? [word] : []))].join(" ");
    const rows = Array.from({ length: BULLETINS }, (_, i) => {
      const g = i + 1;
      return { g, title: titles([g])[0]!, text: wordsOf(g) };
    });
    // Written straight into the table, vectors as publishing weighs them: the headline A, the text C.
    await app.db.execute(sql`
      INSERT INTO articles (slug, title, section_id, status, body_doc, preview_text, published_at, search_vector)
      SELECT 'bulletin-' || r.g, r.title, ${section.id}, 'published', '{"type":"doc","content":[]}', r.text,
             now() - r.g * interval '1 minute',
             setweight(to_tsvector('folded_english', r.title), 'A') || setweight(to_tsvector('folded_english', r.text), 'C')
        FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(g int, title text, text text)`);
    await app.db.execute(sql`ANALYZE articles`);
  });
  afterAll(async () => app?.close());

  test("a word in every article: its newest ones, as many as search shows", async () => {
    const { found, total } = await everyResult("routine");
    expect(found).toEqual(titles(numbers((g) => g <= SEARCH_MAX_RESULTS)));
    expect(total).toBeGreaterThan(SEARCH_MAX_RESULTS);
  });

  test("a rare word, inside the walk and beyond it: exactly its articles, newest first", async () => {
    expect((await everyResult("lantern")).found).toEqual(titles(numbers(HOLDING.lantern!)));
    // Being typed (a prefix) the same articles; misspelt at its end, none.
    expect((await everyResult("lante")).found).toEqual(titles(numbers(HOLDING.lantern!)));
    expect(await everyResult("lantq")).toEqual({ found: [], total: 0 });
  });

  test("a word held by fewer than search shows within the walk, and more beyond: the newest of all of them", async () => {
    const quarry = numbers(HOLDING.quarry!);
    expect(quarry.filter((g) => g <= WORD_WALK).length).toBeLessThan(SEARCH_MAX_RESULTS);
    const { found, total } = await everyResult("quarry");
    expect(found).toEqual(titles(quarry.slice(0, SEARCH_MAX_RESULTS)));
    expect(total).toBe(quarry.length);
  });

  test("a word only in articles older than the walk reaches: their newest, as many as search shows", async () => {
    const { found } = await everyResult("meridian");
    expect(found).toEqual(titles(numbers(HOLDING.meridian!).slice(0, SEARCH_MAX_RESULTS)));
  });

  test("headline matches come first, each group newest first when ranked alike", async () => {
    const byRelevance = (await everyResult("ledger", "relevance")).found;
    expect(byRelevance).toEqual(titles([...LEDGER_HEADLINES, ...numbers(HOLDING.ledger!)]));
  });

  test("a word no article holds, or a word and its exclusion, finds nothing", async () => {
    expect(await everyResult("zephyrq")).toEqual({ found: [], total: 0 });
    expect(await everyResult("routine -routine")).toEqual({ found: [], total: 0 });
  });
});
