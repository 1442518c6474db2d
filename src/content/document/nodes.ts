/**
 * The ONE allow-list of the article document: the TipTap/ProseMirror JSON the newsroom editor saves.
 * The server renders only these nodes and marks; anything else is rejected when the document is saved.
 */
export const BLOCK_NODES = [
  "paragraph",
  "heading",
  "bulletList",
  "orderedList",
  "blockquote",
  "pullQuote",
  "image",
  "embed",
  "horizontalRule",
  "previewBoundary",
] as const;
export const INLINE_NODES = ["text", "hardBreak"] as const;
export const CONTAINER_NODES = ["doc", "listItem"] as const;
export const MARKS = ["bold", "italic", "strike", "code", "link"] as const;
export const HEADING_LEVELS = [2, 3, 4] as const;
export const EMBED_PROVIDERS = ["x", "youtube"] as const;

export type BlockNodeName = (typeof BLOCK_NODES)[number];
export type MarkName = (typeof MARKS)[number];
export type EmbedProvider = (typeof EMBED_PROVIDERS)[number];

export type Mark = { type: MarkName; attrs?: { href?: string } };
export type TextNode = { type: "text"; text: string; marks?: Mark[] };
export type InlineNode = TextNode | { type: "hardBreak" };

export type BlockNode =
  | { type: "paragraph"; content?: InlineNode[] }
  | { type: "heading"; attrs: { level: 2 | 3 | 4 }; content?: InlineNode[] }
  | { type: "bulletList" | "orderedList"; content: ListItemNode[] }
  | { type: "blockquote"; attrs?: { cite?: string }; content: BlockNode[] }
  | { type: "pullQuote"; attrs?: { attribution?: string }; content?: InlineNode[] }
  | { type: "image"; attrs: { src: string; alt: string; caption?: string; credit?: string } }
  | { type: "embed"; attrs: { provider: EmbedProvider; url: string; title?: string } }
  | { type: "horizontalRule" }
  | { type: "previewBoundary" };

export type ListItemNode = { type: "listItem"; content: BlockNode[] };
export type ArticleDocument = { type: "doc"; content: BlockNode[] };

/** Where embeds may point: the provider's own hosts only. */
export const EMBED_HOSTS: Record<EmbedProvider, string[]> = {
  x: ["x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"],
  youtube: ["www.youtube.com", "youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"],
};
