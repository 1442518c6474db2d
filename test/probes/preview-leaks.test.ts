/**
 * An anonymous preview link never carries the gated sentence: not for a metered article a fresh reader could read,
 * not for a registered-only or paid one, not in any status, whatever cookies come with the request, and not
 * through a page cache that a subscriber's preview might have filled.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { api, signedInStaff } from "../support/newsroom.js";

let app: TestApp;
const SECRET = "The auditors found the pension fund two years short.";

beforeAll(async () => {
  app = await startApp({ template: "empty" });
});
afterAll(async () => app.close());

test("no anonymous preview of a gated article contains its gated sentence", async () => {
  const editor = await signedInStaff(app, "editor");
  const variants = [
    { accessLevel: "paid", isMetered: true, status: "published" },
    { accessLevel: "paid", isMetered: false, status: "draft" },
    { accessLevel: "registered", isMetered: true, status: "draft" },
    { accessLevel: "registered", isMetered: false, status: "published" },
  ] as const;
  for (const variant of variants) {
    const article = await app.make.article({
      ...variant,
      paragraphs: ["The board of the fund met on Monday.", SECRET, "A rescue plan is due in May."],
      previewAfter: 1,
    });
    const res = await api(app, "POST", `/admin/api/articles/${article.id}/preview-links`, {
      cookie: editor.cookie,
      body: {},
    });
    const links = (await res.json()).previewLinks;
    // The subscriber's preview first, in case anything kept it for the next request.
    expect(await (await fetch(links.subscriber)).text()).toContain("two years short");
    for (const cookie of [undefined, editor.cookie, "bs_meter=", "bs_meter=2031-01~aaaaaaaaaaaa.forged"]) {
      for (let i = 0; i < 2; i++) {
        const html = await (await fetch(links.anonymous, { headers: cookie ? { cookie } : {} })).text();
        const label = `${JSON.stringify(variant)} cookie=${cookie}`;
        expect(html, label).toContain("The board of the fund met on Monday.");
        expect(html, label).not.toContain("two years short");
        expect(html, label).not.toContain("pension fund");
        expect(html, label).not.toContain("rescue plan");
      }
    }
  }
});
