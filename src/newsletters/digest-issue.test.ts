import { describe, expect, test } from "vitest";
import { digestFor, digestTitle } from "./digest-issue.js";
import type { Newsletter } from "./manage-newsletters.js";
import type { Article } from "./send-article.js";

const brand = { title: "The Gazette", accentColor: "#b00020", language: "en", publicUrl: "https://paper.example" };
const newsletter = { id: "n1", name: "Briefing", slug: "briefing", senderName: null } as Newsletter;

/** Only the fields a digest reads; the rest of an article is not its business. */
const article = (fields: Partial<Article>) =>
  ({
    title: "A headline",
    dek: "",
    path: "/news/a-headline",
    accessLevel: "public",
    hasGatedPart: false,
    previewHtml: "<p>Open text.</p>",
    gatedHtml: "",
    ...fields,
  }) as Article;

describe("digestFor", () => {
  test("a headline or dek with markup is escaped, never rendered", () => {
    const hostile = article({ title: '<img src=x onerror="alert(1)">', dek: "<script>steal()</script>" });
    const mail = digestFor(
      brand,
      brand,
      { newsletter, sendId: "s1", period: "2031-05-06", articles: [hostile] },
      { email: "r@example.test", isSubscriber: false, manageUrl: null },
    );
    expect(mail.html).not.toContain("<img src=x");
    expect(mail.html).not.toContain("<script>steal");
    expect(mail.html).toContain("&lt;script&gt;steal()&lt;/script&gt;");
  });

  test("the opening is the first paragraph only, cut at a word when long", () => {
    const long = `${"word ".repeat(100)}end.`;
    const mail = digestFor(
      brand,
      brand,
      {
        newsletter,
        sendId: "s1",
        period: "2031-05-06",
        articles: [article({ previewHtml: `<p>${long}</p><p>Second.</p>` })],
      },
      { email: "r@example.test", isSubscriber: true, manageUrl: null },
    );
    expect(mail.text).toContain("word word");
    expect(mail.text).toContain("…");
    expect(mail.text).not.toContain("end.");
    expect(mail.text).not.toContain("Second.");
  });

  test("the title names the period's day in the site's language", () => {
    expect(digestTitle(newsletter, "2031-05-06", "en")).toBe("Briefing, May 6, 2031");
    expect(digestTitle(newsletter, "2031-05-06", "de")).toBe("Briefing, 6. Mai 2031");
  });
});
