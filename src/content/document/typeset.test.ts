import { describe, expect, test } from "vitest";
import type { ArticleDocument } from "./nodes.js";
import { typesetDocument, typesetText } from "./typeset.js";

const NB = "\u00A0";
const NNB = "\u202F";

describe("typesetText in English", () => {
  test.each([
    ['The minister said "no" to the plan', "The minister said “no” to the plan"],
    ["Don't stop: it's the '90s", "Don’t stop: it’s the ’90s"],
    ["The 'quiet' option", "The ‘quiet’ option"],
    ["\"He said 'wait' twice,\" she wrote", "“He said ‘wait’ twice,” she wrote"],
    ['He called it "a "deal" at last"', "He called it “a ‘deal’ at last”"],
    ['("quoted")', "(“quoted”)"],
    ["Wait for it...", "Wait for it…"],
    ["Four dots.... stay", "Four dots.... stay"],
    ["Talks resumed - and stalled", `Talks resumed${NB}— and stalled`],
    ["Talks resumed -- and stalled", `Talks resumed${NB}— and stalled`],
    ["Talks resumed--and stalled", "Talks resumed—and stalled"],
    ["Pages 10-15 and 1990-1995", "Pages 10–15 and 1990–1995"],
    ["Until 2027-2028. Then v1.2-3.4", "Until 2027–2028. Then v1.2-3.4"],
    ["On 2026-12-07 and COVID-19 and well-known", "On 2026-12-07 and COVID-19 and well-known"],
    ["From 10:30-11:00", "From 10:30-11:00"],
    ["A 12 km road, 5 % more, 300 AZN and 40 °C", `A 12${NB}km road, 5${NB}% more, 300${NB}AZN and 40${NB}°C`],
    ["Some 5 million people", "Some 5 million people"],
    ["I saw a dog", "I saw a dog"],
    ["5'10\" tall", "5’10” tall"],
  ])("%j becomes %j", (input, expected) => {
    expect(typesetText(input, "en")).toBe(expected);
  });

  test("addresses keep their straight quotes, hyphens and dots", () => {
    const text = "See https://example.com/a--b/c...d?q='x'&y=1 or write to news-desk@example.com - today";
    expect(typesetText(text, "en")).toBe(
      `See https://example.com/a--b/c...d?q='x'&y=1 or write to news-desk@example.com${NB}— today`,
    );
  });

  test("applying it twice changes nothing", () => {
    const inputs = [
      'She said "it\'s over" - twice... on 10-12 May, 5 km away',
      "Он сказал: \"в доме 'тихо'\" - и ушёл",
      'Il a dit : "bonjour" ! Oui ?',
    ];
    for (const language of ["en", "ru", "fr", "az", "de"]) {
      for (const input of inputs) {
        const once = typesetText(input, language);
        expect(typesetText(once, language)).toBe(once);
      }
    }
  });
});

describe("typesetText in other languages", () => {
  test("Russian takes guillemets outside, low-high quotes inside, and binds one-letter words", () => {
    expect(typesetText('Он сказал: "в доме "тихо"" - и ушёл', "ru")).toBe(
      `Он сказал: «в${NB}доме „тихо“»${NB}— и${NB}ушёл`,
    );
  });

  test("Azerbaijani takes guillemets, and its apostrophes curl", () => {
    expect(typesetText('Prezident "yeni büdcə" haqqında danışdı, Bakı\'da', "az")).toBe(
      "Prezident «yeni büdcə» haqqında danışdı, Bakı’da",
    );
  });

  test("German opens low and closes high; a region subtag uses its language's marks", () => {
    expect(typesetText('Er sagte "ja"', "de-AT")).toBe("Er sagte „ja“");
  });

  test("French spaces guillemets and high punctuation with a narrow no-break space", () => {
    expect(typesetText('Il a dit : "bonjour" ! Oui ?', "fr")).toBe(
      `Il a dit${NNB}: «${NNB}bonjour${NNB}»${NNB}! Oui${NNB}?`,
    );
  });

  test("a language without its own marks uses English ones", () => {
    expect(typesetText('Sa "kiri"', "sw")).toBe("Sa “kiri”");
  });
});

describe("typesetDocument", () => {
  test("a quotation opened in one run closes in the next, code and attributes are left alone", () => {
    const doc: ArticleDocument = {
      type: "doc",
      content: [
        {
          type: "paragraph",
          content: [
            { type: "text", text: 'He said "' },
            { type: "text", text: "never", marks: [{ type: "bold" }] },
            { type: "text", text: '" and ran ' },
            { type: "text", text: 'git commit -m "fix" -- .', marks: [{ type: "code" }] },
            { type: "text", text: " - see ", marks: [] },
            { type: "text", text: "the 'docs'", marks: [{ type: "link", attrs: { href: "https://x.com/?q='a'--b" } }] },
          ],
        },
        { type: "image", attrs: { src: "/media/a.jpg", alt: 'A "quoted" alt', caption: "It's -- here" } },
        {
          type: "bulletList",
          content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "It's" }] }] }],
        },
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: '"Quiet" years...' }] },
      ],
    };
    const out = typesetDocument(doc, "en");
    expect(out.content[0]).toEqual({
      type: "paragraph",
      content: [
        { type: "text", text: "He said “" },
        { type: "text", text: "never", marks: [{ type: "bold" }] },
        { type: "text", text: "” and ran " },
        { type: "text", text: 'git commit -m "fix" -- .', marks: [{ type: "code" }] },
        { type: "text", text: `${NB}— see `, marks: [] },
        { type: "text", text: "the ‘docs’", marks: [{ type: "link", attrs: { href: "https://x.com/?q='a'--b" } }] },
      ],
    });
    expect(out.content[1]).toEqual(doc.content[1]);
    expect(JSON.stringify(out.content[2])).toContain("It’s");
    expect(JSON.stringify(out.content[3])).toContain("“Quiet” years…");
  });
});
