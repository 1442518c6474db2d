/** Checks untrusted JSON against the allow-list in nodes.ts and returns a clean copy (unknown fields dropped). */
import { Invalid } from "../../shared/errors.js";
import { safeUrl } from "../../shared/html.js";
import {
  type ArticleDocument,
  type BlockNode,
  EMBED_HOSTS,
  EMBED_PROVIDERS,
  type EmbedProvider,
  HEADING_LEVELS,
  type InlineNode,
  type ListItemNode,
  MARKS,
  type Mark,
  type MarkName,
} from "./nodes.js";

const MAX_DEPTH = 12;
const MAX_NODES = 20_000;

type Ctx = { count: number };

export function parseDocument(input: unknown): ArticleDocument {
  const ctx: Ctx = { count: 0 };
  const doc = asObject(input, "body");
  if (doc.type !== "doc") fail("body", 'The body must be a document: {"type":"doc","content":[…]}');
  return {
    type: "doc",
    content: asArray(doc.content ?? [], "body.content").map((n, i) => block(n, `body.content[${i}]`, 1, ctx)),
  };
}

function block(input: unknown, path: string, depth: number, ctx: Ctx): BlockNode {
  if (++ctx.count > MAX_NODES) fail(path, `The body has more than ${MAX_NODES} nodes`);
  if (depth > MAX_DEPTH) fail(path, `The body nests deeper than ${MAX_DEPTH} levels`);
  const node = asObject(input, path);
  const attrs = (node.attrs ?? {}) as Record<string, unknown>;
  switch (node.type) {
    case "paragraph":
      return { type: "paragraph", content: inline(node.content, path, ctx) };
    case "heading": {
      const level = Number(attrs.level ?? 2);
      const clamped = (HEADING_LEVELS as readonly number[]).includes(level) ? (level as 2 | 3 | 4) : level < 2 ? 2 : 4;
      return { type: "heading", attrs: { level: clamped }, content: inline(node.content, path, ctx) };
    }
    case "bulletList":
    case "orderedList":
      return {
        type: node.type,
        content: asArray(node.content ?? [], `${path}.content`).map((item, i) =>
          listItem(item, `${path}.content[${i}]`, depth + 1, ctx),
        ),
      };
    case "blockquote": {
      const cite = optionalText(attrs.cite, `${path}.attrs.cite`, 300);
      return {
        type: "blockquote",
        ...(cite ? { attrs: { cite } } : {}),
        content: asArray(node.content ?? [], `${path}.content`).map((n, i) =>
          block(n, `${path}.content[${i}]`, depth + 1, ctx),
        ),
      };
    }
    case "pullQuote": {
      const attribution = optionalText(attrs.attribution, `${path}.attrs.attribution`, 300);
      return {
        type: "pullQuote",
        ...(attribution ? { attrs: { attribution } } : {}),
        content: inline(node.content, path, ctx),
      };
    }
    case "image": {
      const src = typeof attrs.src === "string" ? safeUrl(attrs.src) : undefined;
      if (!src) fail(`${path}.attrs.src`, "An image needs an http(s) or site-relative src");
      const alt = optionalText(attrs.alt, `${path}.attrs.alt`, 1000) ?? "";
      const caption = optionalText(attrs.caption, `${path}.attrs.caption`, 1000);
      const credit = optionalText(attrs.credit, `${path}.attrs.credit`, 300);
      return {
        type: "image",
        attrs: { src, alt, ...(caption ? { caption } : {}), ...(credit ? { credit } : {}) },
      };
    }
    case "embed": {
      const provider = attrs.provider as EmbedProvider;
      if (!EMBED_PROVIDERS.includes(provider))
        fail(`${path}.attrs.provider`, `Embeds are ${EMBED_PROVIDERS.join(" or ")}`);
      const url = typeof attrs.url === "string" ? safeUrl(attrs.url) : undefined;
      if (!url || !EMBED_HOSTS[provider].includes(new URL(url).hostname)) {
        fail(`${path}.attrs.url`, `An ${provider} embed needs a link to ${EMBED_HOSTS[provider][0]}`);
      }
      const title = optionalText(attrs.title, `${path}.attrs.title`, 300);
      return { type: "embed", attrs: { provider, url, ...(title ? { title } : {}) } };
    }
    case "horizontalRule":
      return { type: "horizontalRule" };
    case "previewBoundary":
      return { type: "previewBoundary" };
    default:
      return fail(`${path}.type`, `"${String(node.type).slice(0, 40)}" is not an element articles may contain`);
  }
}

function listItem(input: unknown, path: string, depth: number, ctx: Ctx): ListItemNode {
  const node = asObject(input, path);
  if (node.type !== "listItem") fail(`${path}.type`, "A list may contain only list items");
  return {
    type: "listItem",
    content: asArray(node.content ?? [], `${path}.content`).map((n, i) =>
      block(n, `${path}.content[${i}]`, depth + 1, ctx),
    ),
  };
}

function inline(input: unknown, path: string, ctx: Ctx): InlineNode[] {
  return asArray(input ?? [], `${path}.content`).map((raw, i) => {
    const at = `${path}.content[${i}]`;
    if (++ctx.count > MAX_NODES) fail(at, `The body has more than ${MAX_NODES} nodes`);
    const node = asObject(raw, at);
    if (node.type === "hardBreak") return { type: "hardBreak" };
    if (node.type !== "text" || typeof node.text !== "string") fail(at, "Expected text or a line break here");
    const marks = asArray(node.marks ?? [], `${at}.marks`).flatMap((m, j) => mark(m, `${at}.marks[${j}]`));
    return marks.length ? { type: "text", text: node.text, marks } : { type: "text", text: node.text };
  });
}

function mark(input: unknown, path: string): Mark[] {
  const m = asObject(input, path);
  if (!MARKS.includes(m.type as MarkName))
    fail(`${path}.type`, `"${String(m.type).slice(0, 40)}" is not an allowed text style`);
  if (m.type !== "link") return [{ type: m.type as MarkName }];
  const href = (m.attrs as Record<string, unknown> | undefined)?.href;
  const safe = typeof href === "string" ? safeUrl(href) : undefined;
  // A link to javascript: or data: is dropped but its text stays.
  return safe ? [{ type: "link", attrs: { href: safe } }] : [];
}

function optionalText(value: unknown, path: string, max: number): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") fail(path, "Expected text");
  if (value.length > max) fail(path, `At most ${max} characters`);
  return value;
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "Expected an object");
  return value as Record<string, unknown>;
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, "Expected a list");
  return value;
}

function fail(property: string, message: string): never {
  throw new Invalid("INVALID_DOCUMENT", message, { property });
}
