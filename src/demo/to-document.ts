/** Turns the demo's compact block notation into the TipTap/ProseMirror JSON the newsroom editor saves. */
import type { DemoBlock } from "./demo-types.js";

type Json = Record<string, unknown>;

const INLINE = /\*\*(.+?)\*\*|\*(.+?)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function inlineContent(text: string): Json[] {
  const nodes: Json[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) nodes.push({ type: "text", text: text.slice(last, index) });
    if (match[1] !== undefined) nodes.push({ type: "text", text: match[1], marks: [{ type: "bold" }] });
    else if (match[2] !== undefined) nodes.push({ type: "text", text: match[2], marks: [{ type: "italic" }] });
    else nodes.push({ type: "text", text: match[3], marks: [{ type: "link", attrs: { href: match[4] } }] });
    last = index + match[0].length;
  }
  if (last < text.length) nodes.push({ type: "text", text: text.slice(last) });
  return nodes;
}

const paragraph = (text: string): Json => ({ type: "paragraph", content: inlineContent(text) });

function block(b: DemoBlock): Json {
  if (typeof b === "string") {
    if (b === "---preview---") return { type: "previewBoundary" };
    if (b === "---hr---") return { type: "horizontalRule" };
    return paragraph(b);
  }
  if ("h2" in b) return { type: "heading", attrs: { level: 2 }, content: inlineContent(b.h2) };
  if ("h3" in b) return { type: "heading", attrs: { level: 3 }, content: inlineContent(b.h3) };
  if ("quote" in b) return { type: "blockquote", attrs: { cite: b.cite }, content: [paragraph(b.quote)] };
  if ("pull" in b) return { type: "pullQuote", content: inlineContent(b.pull) };
  if ("list" in b || "ol" in b) {
    const items = "list" in b ? b.list : b.ol;
    return {
      type: "list" in b ? "bulletList" : "orderedList",
      content: items.map((item) => ({ type: "listItem", content: [paragraph(item)] })),
    };
  }
  return { type: "embed", attrs: { provider: b.embed, url: b.url, title: b.title } };
}

export function toDocument(blocks: DemoBlock[]): Json {
  return { type: "doc", content: blocks.map(block) };
}
