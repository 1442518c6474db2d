/**
 * Search over whole articles without leaking them: an article is found by words only its gated part holds, a
 * reader without access sees only its headline, dek and preview, a subscriber sees the gated words highlighted;
 * accents are folded, spelling suggestions name only words any reader may read, and results come in either order.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { signIn } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="teaser-title"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);

const PREVIEW = "Talks between Baku and Yerevan resumed on Monday, officials said.";
const GATED = [
  "The TRIPP corridor would run through Zəngəzur, and EUMA observers doubt the armed monitoring group.",
  "Diplomats in Bakı blame institutional inertia for the quiet collapse of earlier drafts.",
];
/** Words that appear only in the gated paragraphs: none may reach a reader without access. */
const GATED_ONLY = ["TRIPP", "Zəngəzur", "EUMA", "observers", "armed", "monitoring", "Bakı", "inertia", "collapse"];

describe.each(databaseKinds())("search over whole articles on %s", (kind) => {
  let app: TestApp;
  let smtp: TestSmtp;
  let member: string;
  let subscriber: string;

  async function search(query: string, cookie?: string): Promise<string> {
    const res = await app.get(`/search?${query}`, cookie ? { headers: { cookie } } : {});
    expect(res.status).toBe(200);
    return res.text();
  }
  const q = (text: string) => `q=${encodeURIComponent(text)}`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", database: kind, env: { SMTP_URL: smtp.url } });
    await app.make.settings();
    const politics = await app.make.section({ name: "Politics" });
    await app.make.article({
      section: politics,
      kind: "analysis",
      accessLevel: "paid",
      isMetered: true,
      title: "What the corridor talks leave unsaid",
      dek: "A reading of the latest round",
      paragraphs: [PREVIEW, ...GATED],
      previewAfter: 1,
    });
    await app.make.article({
      section: politics,
      title: "Airship museum opens",
      paragraphs: ["A zeppelin hangs over the hall.", "Visitors queued for the gondola."],
    });
    member = await signIn(app, smtp, "member@example.test");
    subscriber = await signIn(app, smtp, "subscriber@example.test");
    const [row] = await queryRows<{ id: string }>(
      app.db,
      sql`SELECT id FROM members WHERE email = 'subscriber@example.test'`,
    );
    await members.setPaidAccess(app.db, row!.id, { kind: "complimentary", until: null });
    await app.built.invalidator.invalidate([members.memberTag(row!.id)]);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test.each([
    "TRIPP",
    "EUMA",
    "Zangazur",
    "Baki",
    '"armed monitoring group"',
    "institutional inertia",
    "institutional inert",
  ])("%s, only in the gated part, finds the article for every reader", async (words) => {
    for (const cookie of [undefined, "bs_meter=forged", member, subscriber]) {
      expect(titlesIn(await search(q(words), cookie))).toEqual(["What the corridor talks leave unsaid"]);
    }
  });

  test("a reader without access sees the headline, dek and preview, and no gated word anywhere", async () => {
    // Anonymous, metered out (a forged meter counts as used up), and registered without a subscription.
    for (const cookie of [undefined, "bs_meter=forged", member]) {
      for (const words of ["institutional inertia", "Zangazur TRIPP", '"armed monitoring group"']) {
        const html = await search(q(words), cookie);
        expect(html).toContain("Talks between Baku and Yerevan");
        for (const word of GATED_ONLY.filter((w) => !words.includes(w))) expect(html).not.toContain(word);
        expect(html).not.toMatch(/<mark>[^<]*(inertia|monitoring|Zəngəzur)/);
      }
    }
  });

  test("a subscriber's result shows the gated words highlighted, accents folded", async () => {
    const html = await search(q("institutional inertia"), subscriber);
    expect(html).toContain("<mark>institutional</mark> <mark>inertia</mark>");
    expect(await search(q("Baki"), subscriber)).toContain("<mark>Bakı</mark>");
    // Cached for the subscriber first, the anonymous page is still its own.
    expect(await search(q("institutional inertia"))).not.toContain("inertia</mark>");
  });

  test("the query is escaped wherever it is shown, the highlighting included", async () => {
    const html = await search(q("inertia or <script>alert(1)</script>"), subscriber);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("<mark>inertia</mark>");
  });

  test("a misspelt word gets a suggestion from words any reader may read, never from a gated part", async () => {
    const html = await search(q("zepelin"));
    expect(titlesIn(html)).toEqual([]);
    expect(html).toContain('Did you mean <a href="/search?q=zeppelin">zeppelin</a>?');
    for (const cookie of [undefined, subscriber]) {
      const misspelt = await search(q("inartia"), cookie);
      expect(titlesIn(misspelt)).toEqual([]);
      expect(misspelt).not.toContain("Did you mean");
    }
  });

  test("results come best match first or newest first, as the form asks", async () => {
    await app.make.article({ title: "Ferry news", paragraphs: ["The corridor was closed for an hour."] });
    const inHeadlineFirst = ["What the corridor talks leave unsaid", "Ferry news"];
    expect(titlesIn(await search(q("corridor")))).toEqual(inHeadlineFirst);
    expect(titlesIn(await search(`${q("corridor")}&order=newest`))).toEqual(inHeadlineFirst.toReversed());
    expect((await app.get(`/search?${q("corridor")}&order=oldest`)).status).toBe(400);
  });

  test("a date the calendar lacks is refused with 400 naming the field, not a failed query", async () => {
    for (const [field, date] of [
      ["from", "2026-13-45"],
      ["to", "2026-02-30"],
    ]) {
      const refused = await app.get(`/search?${q("corridor")}&${field}=${date}`);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain(`querystring.${field} is not a date the calendar has`);
    }
    expect((await app.get(`/search?${q("corridor")}&from=2024-02-29`)).status).toBe(200);
  });

  test("the order is a labelled choice in the plain GET form", async () => {
    const html = await search(q("corridor"));
    expect(html).toMatch(/<form class="search-form" method="get" action="\/search">/);
    expect(html).toMatch(/<label>Order<select name="order">/);
  });
});
