/** Renders an allow-listed document to HTML and plaintext, split at the preview boundary. */
import { escapeHtml, safeUrl } from "../../shared/html.js";
import { responsiveImage } from "../../shared/responsive-image.js";
import type { ArticleDocument, BlockNode, InlineNode, Mark } from "./nodes.js";

export type RenderedBody = {
  previewHtml: string;
  gatedHtml: string;
  previewText: string;
  gatedText: string;
  wordCount: number;
  readingMinutes: number;
};

const WORDS_PER_MINUTE = 230;
/** The body column is at most 40rem wide (site.css --measure). */
const BODY_IMAGE_SIZES = "(min-width: 44rem) 40rem, 100vw";

/**
 * The preview ends at the editor's "preview ends here" divider, else after `previewParagraphs` paragraphs.
 * Splitting here, once, at write time, is what keeps gated text out of every channel that reads the preview.
 */
export function renderBody(doc: ArticleDocument, previewParagraphs: number): RenderedBody {
  const blocks = doc.content;
  const boundary = previewEnd(blocks, previewParagraphs);
  const preview = blocks.slice(0, boundary).filter((b) => b.type !== "previewBoundary");
  const gated = blocks.slice(boundary).filter((b) => b.type !== "previewBoundary");
  const previewText = preview.map(blockText).filter(Boolean).join("\n\n");
  const gatedText = gated.map(blockText).filter(Boolean).join("\n\n");
  const wordCount = countWords(previewText) + countWords(gatedText);
  return {
    previewHtml: preview.map(blockHtml).join(""),
    gatedHtml: gated.map(blockHtml).join(""),
    previewText,
    gatedText,
    wordCount,
    readingMinutes: Math.max(1, Math.round(wordCount / WORDS_PER_MINUTE)),
  };
}

/** A whole document as HTML, for static pages that have no preview. */
export function renderDocumentHtml(doc: ArticleDocument): { html: string; text: string } {
  return { html: doc.content.map(blockHtml).join(""), text: doc.content.map(blockText).filter(Boolean).join("\n\n") };
}

function previewEnd(blocks: BlockNode[], previewParagraphs: number): number {
  const divider = blocks.findIndex((b) => b.type === "previewBoundary");
  if (divider >= 0) return divider;
  let paragraphs = 0;
  for (let i = 0; i < blocks.length; i++) {
    if (blocks[i]?.type === "paragraph" && ++paragraphs >= previewParagraphs) return i + 1;
  }
  return blocks.length;
}

function blockHtml(node: BlockNode): string {
  switch (node.type) {
    case "paragraph":
      return `<p>${inlineHtml(node.content)}</p>`;
    case "heading":
      return `<h${node.attrs.level}>${inlineHtml(node.content)}</h${node.attrs.level}>`;
    case "bulletList":
    case "orderedList": {
      const tag = node.type === "bulletList" ? "ul" : "ol";
      return `<${tag}>${node.content.map((li) => `<li>${li.content.map(blockHtml).join("")}</li>`).join("")}</${tag}>`;
    }
    case "blockquote": {
      const cite = node.attrs?.cite ? `<footer>— ${escapeHtml(node.attrs.cite)}</footer>` : "";
      return `<blockquote>${node.content.map(blockHtml).join("")}${cite}</blockquote>`;
    }
    case "pullQuote": {
      const by = node.attrs?.attribution ? `<figcaption>${escapeHtml(node.attrs.attribution)}</figcaption>` : "";
      return `<figure class="pull-quote"><blockquote><p>${inlineHtml(node.content)}</p></blockquote>${by}</figure>`;
    }
    case "image": {
      const { src, alt, caption, credit } = node.attrs;
      const url = safeUrl(src);
      if (!url) return "";
      const captionHtml =
        caption || credit
          ? `<figcaption>${caption ? escapeHtml(caption) : ""}${credit ? ` <span class="credit">${escapeHtml(credit)}</span>` : ""}</figcaption>`
          : "";
      return `<figure class="body-image">${imageHtml(url, alt)}${captionHtml}</figure>`;
    }
    case "embed": {
      const url = safeUrl(node.attrs.url);
      if (!url) return "";
      const label = node.attrs.provider === "youtube" ? "Video on YouTube" : "Post on X";
      const title = node.attrs.title ? escapeHtml(node.attrs.title) : escapeHtml(url);
      return `<figure class="embed embed-${node.attrs.provider}"><a href="${escapeHtml(url)}" rel="noopener noreferrer"><span class="embed-label">${label}</span><span class="embed-title">${title}</span></a></figure>`;
    }
    case "horizontalRule":
      return "<hr>";
    case "previewBoundary":
      return "";
  }
}

/**
 * An uploaded image's address names its size (shared/responsive-image.ts), so its WebP and JPEG variants and
 * its width and height are known here without asking media; any other address is shown as it is.
 */
function imageHtml(url: string, alt: string): string {
  const common = `alt="${escapeHtml(alt)}" loading="lazy" decoding="async"`;
  const image = responsiveImage(url);
  if (!image) return `<img src="${escapeHtml(url)}" ${common}>`;
  const sizes = `sizes="${BODY_IMAGE_SIZES}"`;
  return (
    `<picture><source type="image/webp" srcset="${escapeHtml(image.webpSrcset)}" ${sizes}>` +
    `<img src="${escapeHtml(image.src.url)}" srcset="${escapeHtml(image.jpegSrcset)}" ${sizes} width="${image.width}" height="${image.height}" ${common}></picture>`
  );
}

function inlineHtml(content: InlineNode[] | undefined): string {
  if (!content) return "";
  return content
    .map((node) => (node.type === "hardBreak" ? "<br>" : wrapMarks(escapeHtml(node.text), node.marks ?? [])))
    .join("");
}

function wrapMarks(html: string, marks: Mark[]): string {
  return marks.reduce((inner, mark) => wrapMark(inner, mark), html);
}

function wrapMark(inner: string, mark: Mark): string {
  switch (mark.type) {
    case "bold":
      return `<strong>${inner}</strong>`;
    case "italic":
      return `<em>${inner}</em>`;
    case "strike":
      return `<s>${inner}</s>`;
    case "code":
      return `<code>${inner}</code>`;
    case "link": {
      const href = mark.attrs?.href ? safeUrl(mark.attrs.href) : undefined;
      if (!href) return inner;
      const external = /^https?:/.test(href);
      return `<a href="${escapeHtml(href)}"${external ? ' rel="noopener noreferrer"' : ""}>${inner}</a>`;
    }
  }
}

function blockText(node: BlockNode): string {
  switch (node.type) {
    case "paragraph":
    case "heading":
    case "pullQuote":
      return inlineText(node.content);
    case "bulletList":
    case "orderedList":
      return node.content.map((li) => li.content.map(blockText).join(" ")).join("\n");
    case "blockquote":
      return node.content.map(blockText).join("\n");
    case "image":
      return node.attrs.caption ?? "";
    case "embed":
      return node.attrs.title ?? "";
    default:
      return "";
  }
}

function inlineText(content: InlineNode[] | undefined): string {
  return (content ?? []).map((n) => (n.type === "text" ? n.text : "\n")).join("");
}

function countWords(text: string): number {
  const matches = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return matches ? matches.length : 0;
}
