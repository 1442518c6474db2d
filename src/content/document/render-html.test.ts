import { describe, expect, test } from "vitest";
import { AppError } from "../../shared/errors.js";
import { parseDocument } from "./parse-document.js";
import { renderBody, renderDocumentHtml } from "./render-html.js";

const text = (t: string, marks?: object[]) => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const p = (...content: object[]) => ({ type: "paragraph", content });
const doc = (...content: object[]) => ({ type: "doc", content });

function html(input: object): string {
  return renderDocumentHtml(parseDocument(input)).html;
}

describe("rendering the document", () => {
  test("renders headings, marks, lists, quotes, pull quotes, images, embeds and rules", () => {
    const out = html(
      doc(
        { type: "heading", attrs: { level: 2 }, content: [text("Background")] },
        p(text("Bold", [{ type: "bold" }]), text(" and "), text("italic", [{ type: "italic" }])),
        { type: "bulletList", content: [{ type: "listItem", content: [p(text("one"))] }] },
        { type: "blockquote", attrs: { cite: "A minister" }, content: [p(text("We will."))] },
        { type: "pullQuote", content: [text("A line worth repeating")] },
        {
          type: "image",
          attrs: { src: "/media/a.webp", alt: "A harbour", caption: "Port Aster", credit: "Photo: A. B." },
        },
        {
          type: "embed",
          attrs: { provider: "youtube", url: "https://www.youtube.com/watch?v=abcdefghijk", title: "Debate" },
        },
        { type: "horizontalRule" },
      ),
    );
    expect(out).toContain("<h2>Background</h2>");
    expect(out).toContain("<strong>Bold</strong> and <em>italic</em>");
    expect(out).toContain("<ul><li><p>one</p></li></ul>");
    expect(out).toContain("<footer>— A minister</footer>");
    expect(out).toContain('<figure class="pull-quote">');
    expect(out).toContain('<img src="/media/a.webp" alt="A harbour" loading="lazy" decoding="async">');
    expect(out).toContain('<span class="credit">Photo: A. B.</span>');
    expect(out).toContain('<a href="https://www.youtube.com/watch?v=abcdefghijk" rel="noopener noreferrer">');
    expect(out).not.toContain("<iframe");
    expect(out).toContain("<hr>");
  });

  test("text is escaped, so markup typed into the editor shows as text", () => {
    expect(html(doc(p(text('<script>alert("x")</script><img src=x onerror=alert(1)>'))))).toBe(
      "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>",
    );
  });

  test("javascript: and data: links lose their link but keep their text", () => {
    const out = html(
      doc(
        p(text("click", [{ type: "link", attrs: { href: "javascript:alert(1)" } }])),
        p(text("data", [{ type: "link", attrs: { href: "data:text/html,<script>alert(1)</script>" } }])),
        p(text("spaced", [{ type: "link", attrs: { href: "  JaVaScRiPt:alert(1)" } }])),
      ),
    );
    expect(out).toBe("<p>click</p><p>data</p><p>spaced</p>");
  });

  test("attributes outside the schema, such as event handlers, are dropped", () => {
    const out = html(doc({ type: "paragraph", attrs: { onclick: "alert(1)", style: "x" }, content: [text("hi")] }));
    expect(out).toBe("<p>hi</p>");
  });

  test.each(["script", "iframe", "object", "html", "style"])("a %s node is rejected with the path to it", (type) => {
    expect(() => parseDocument(doc(p(text("ok")), { type, content: [] }))).toThrowError(
      expect.objectContaining({ code: "INVALID_DOCUMENT", property: "body.content[1].type" }),
    );
  });

  test("an image with a javascript: source is rejected", () => {
    expect(() => parseDocument(doc({ type: "image", attrs: { src: "javascript:alert(1)", alt: "" } }))).toThrow(
      AppError,
    );
  });

  test("an embed pointing anywhere but its provider is rejected", () => {
    expect(() =>
      parseDocument(doc({ type: "embed", attrs: { provider: "youtube", url: "https://evil.example/watch?v=1" } })),
    ).toThrowError(expect.objectContaining({ property: "body.content[0].attrs.url" }));
  });

  test("deeply nested documents are rejected instead of exhausting the stack", () => {
    let node: object = p(text("deep"));
    for (let i = 0; i < 50; i++) node = { type: "blockquote", content: [node] };
    expect(() => parseDocument(doc(node))).toThrowError(expect.objectContaining({ code: "INVALID_DOCUMENT" }));
  });

  test("a body that is not a document is rejected", () => {
    for (const bad of [null, "text", 42, [], { type: "paragraph" }]) {
      expect(() => parseDocument(bad)).toThrowError(expect.objectContaining({ code: "INVALID_DOCUMENT" }));
    }
  });
});

describe("uploaded images", () => {
  const stem = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

  test("an uploaded original gets WebP and JPEG srcsets and its width and height, derived from its address", () => {
    const out = html(
      doc({ type: "image", attrs: { src: `/media/${stem}-1000x750.jpg`, alt: 'Quay "at dawn"', caption: "Dawn" } }),
    );
    const webp = `/media/${stem}-480w.webp 480w, /media/${stem}-800w.webp 800w, /media/${stem}-1000w.webp 1000w`;
    const jpeg = `/media/${stem}-480w.jpg 480w, /media/${stem}-800w.jpg 800w, /media/${stem}-1000w.jpg 1000w`;
    expect(out).toBe(
      `<figure class="body-image"><picture><source type="image/webp" srcset="${webp}" sizes="(min-width: 44rem) 40rem, 100vw">` +
        `<img src="/media/${stem}-1000w.jpg" srcset="${jpeg}" sizes="(min-width: 44rem) 40rem, 100vw" width="1000" height="750" ` +
        `alt="Quay &quot;at dawn&quot;" loading="lazy" decoding="async"></picture><figcaption>Dawn</figcaption></figure>`,
    );
  });

  test("a variant's address or another site's image is shown as it is", () => {
    for (const src of [`/media/${stem}-800w.webp`, "https://photos.example/quay.jpg"]) {
      const out = html(doc({ type: "image", attrs: { src, alt: "Quay" } }));
      expect(out).toBe(
        `<figure class="body-image"><img src="${src}" alt="Quay" loading="lazy" decoding="async"></figure>`,
      );
    }
  });
});

describe("splitting at the preview boundary", () => {
  const paragraphs = ["One.", "Two.", "Three.", "Four.", "Five."].map((t) => p(text(t)));

  test("the editor's divider ends the preview", () => {
    const body = renderBody(parseDocument(doc(paragraphs[0]!, { type: "previewBoundary" }, ...paragraphs.slice(1))), 3);
    expect(body.previewHtml).toBe("<p>One.</p>");
    expect(body.gatedHtml).toBe("<p>Two.</p><p>Three.</p><p>Four.</p><p>Five.</p>");
    expect(body.previewText).toBe("One.");
    expect(body.gatedText).not.toContain("One.");
  });

  test("without a divider the preview is the first N paragraphs", () => {
    const body = renderBody(parseDocument(doc(...paragraphs)), 2);
    expect(body.previewHtml).toBe("<p>One.</p><p>Two.</p>");
    expect(body.gatedText).toBe("Three.\n\nFour.\n\nFive.");
  });

  test("a short article has no gated part", () => {
    const body = renderBody(parseDocument(doc(...paragraphs.slice(0, 2))), 3);
    expect(body.gatedHtml).toBe("");
  });

  test("word count and reading time cover the whole body", () => {
    const words = Array.from({ length: 460 }, () => "word").join(" ");
    const body = renderBody(parseDocument(doc(p(text(words)), { type: "previewBoundary" }, p(text(words)))), 3);
    expect(body.wordCount).toBe(920);
    expect(body.readingMinutes).toBe(4);
  });
});
