/**
 * A metered article's gated sentence reaches only readers whose meter lets them read it: never a used-up or forged
 * meter, never a channel without a meter (feeds, search, sitemaps), never a cached page meant for someone else.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;
const SECRET = "The harbour board quietly sold the lighthouse to a shipping magnate.";

beforeAll(async () => {
  app = await startApp({ template: "empty" });
});
afterAll(async () => app.close());

test("a metered paid article leaks its gated sentence through no channel", async () => {
  const article = await app.make.article({
    title: "Who owns the lighthouse",
    accessLevel: "paid",
    isMetered: true,
    tags: ["lighthouse"],
    paragraphs: ["The board met on Tuesday.", SECRET, "Nobody objected."],
    previewAfter: 1,
  });
  const path = `/${article.section.slug}/${article.slug}`;

  // A fresh reader may read it (and so fills the cache with the full variant)...
  const fresh = await app.get(path);
  expect(await fresh.text()).toContain("lighthouse to a shipping magnate");

  // ...which is never what a used-up or forged meter gets, fresh or cached.
  const usedUp = await usedUpMeter();
  for (const cookie of [usedUp, "bs_meter=2031-01~aaaaaaaaaaaa.forged", "bs_meter="]) {
    for (let i = 0; i < 2; i++) {
      const html = await (await app.get(path, { headers: { cookie } })).text();
      if (cookie === "bs_meter=") {
        expect(html).toContain("shipping magnate");
        continue;
      }
      expect(html).toContain("The board met on Tuesday.");
      expect(html).not.toContain("sold the lighthouse");
      expect(html).not.toContain("Nobody objected");
    }
  }

  const channels = [
    "/feed",
    "/feed/atom",
    "/feed/json",
    `/section/${article.section.slug}/feed`,
    "/tag/lighthouse/feed",
    "/search?q=lighthouse",
    "/search?q=%22shipping+magnate%22",
    "/sitemap.xml",
    "/sitemap-news.xml",
    `/section/${article.section.slug}`,
    "/",
  ];
  for (const channel of channels) {
    const res = await app.get(channel);
    expect(res.status, channel).toBe(200);
    const body = await res.text();
    expect(body, channel).not.toContain("sold the lighthouse");
    expect(body, channel).not.toContain("Nobody objected");
  }
});

/** A meter cookie that has read the whole anonymous allowance (3) on other metered articles. */
async function usedUpMeter(): Promise<string> {
  let cookie = "";
  for (let i = 0; i < 3; i++) {
    const other = await app.make.article({ accessLevel: "paid", isMetered: true, previewAfter: 1 });
    const res = await app.get(`/${other.section.slug}/${other.slug}`, cookie ? { headers: { cookie } } : {});
    await res.text();
    cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith("bs_meter="))!
      .split(";")[0]!;
  }
  return cookie;
}
