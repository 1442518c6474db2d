/**
 * The editor's schema: StarterKit trimmed to the server's document allow-list (src/content/document/nodes.ts),
 * plus the newspaper's own blocks. Node names and attributes are the saved JSON, so they match that file.
 */
import { mergeAttributes, Node } from "@tiptap/core";
import { Placeholder } from "@tiptap/extensions";
import StarterKit from "@tiptap/starter-kit";

export type ImageAttrs = { src: string; alt: string; caption: string; credit: string };
export type EmbedAttrs = { provider: "x" | "youtube"; url: string; title: string };

/** Asked of the screen when a block's own Edit button is pressed; the screen owns the dialogs. */
export type BlockEditors = {
  editImage: (attrs: ImageAttrs, save: (attrs: ImageAttrs) => void) => void;
};

const text = (value: unknown) => (typeof value === "string" ? value : "");

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "inline*",
  defining: true,
  addAttributes() {
    return {
      attribution: {
        default: "",
        parseHTML: (el) => el.getAttribute("data-attribution") ?? "",
        renderHTML: (attrs) => (attrs.attribution ? { "data-attribution": attrs.attribution } : {}),
      },
    };
  },
  parseHTML: () => [{ tag: "figure.pull-quote", contentElement: "blockquote" }],
  renderHTML: ({ HTMLAttributes }) => [
    "figure",
    mergeAttributes(HTMLAttributes, { class: "pull-quote" }),
    ["blockquote", 0],
  ],
});

export const PreviewBoundary = Node.create({
  name: "previewBoundary",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  parseHTML: () => [{ tag: "div[data-preview-boundary]" }],
  renderHTML: () => [
    "div",
    { "data-preview-boundary": "", class: "preview-boundary", contenteditable: "false" },
    "Preview ends here — readers without access see the text above",
  ],
});

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addAttributes() {
    return {
      provider: { default: "x", parseHTML: (el) => el.getAttribute("data-provider") },
      url: { default: "", parseHTML: (el) => el.getAttribute("data-url") },
      title: { default: "", parseHTML: (el) => el.getAttribute("data-title") ?? "" },
    };
  },
  parseHTML: () => [{ tag: "div[data-embed]" }],
  renderHTML: ({ node }) => [
    "div",
    {
      "data-embed": "",
      "data-provider": node.attrs.provider,
      "data-url": node.attrs.url,
      "data-title": node.attrs.title,
      class: `embed-card embed-${node.attrs.provider}`,
      contenteditable: "false",
    },
    ["span", { class: "embed-provider" }, node.attrs.provider === "youtube" ? "YouTube video" : "Post on X"],
    ["span", { class: "embed-url" }, node.attrs.title || node.attrs.url],
  ],
});

/** A figure: the picture, its alt text (required before publishing), caption and credit. */
export const Figure = Node.create<{ editors: BlockEditors | null }>({
  name: "image",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,
  addOptions: () => ({ editors: null }),
  addAttributes() {
    return {
      src: { default: "" },
      alt: { default: "" },
      caption: { default: "", parseHTML: (el) => el.getAttribute("data-caption") ?? "" },
      credit: { default: "", parseHTML: (el) => el.getAttribute("data-credit") ?? "" },
    };
  },
  parseHTML: () => [{ tag: "img[src]" }],
  renderHTML: ({ HTMLAttributes }) => ["img", HTMLAttributes],
  addNodeView() {
    return ({ node, getPos, editor }) => {
      const dom = document.createElement("figure");
      dom.className = "editor-figure";
      dom.contentEditable = "false";
      const img = document.createElement("img");
      const caption = document.createElement("figcaption");
      const warning = document.createElement("p");
      warning.className = "figure-warning";
      warning.textContent = "Alt text missing: describe the picture before publishing.";
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "button button-small figure-edit";
      edit.textContent = "Edit image details";
      dom.append(img, caption, warning, edit);

      let current = node;
      const paint = () => {
        const attrs = current.attrs as ImageAttrs;
        img.src = attrs.src;
        img.alt = attrs.alt;
        caption.textContent = [text(attrs.caption), attrs.credit ? `Photo: ${text(attrs.credit)}` : ""]
          .filter(Boolean)
          .join(" · ");
        caption.hidden = !caption.textContent;
        warning.hidden = Boolean(attrs.alt?.trim());
      };
      paint();
      edit.addEventListener("click", () => {
        const editors = this.options.editors;
        if (!editors || typeof getPos !== "function") return;
        editors.editImage({ ...(current.attrs as ImageAttrs) }, (attrs) => {
          const pos = getPos();
          if (pos === undefined) return;
          editor.chain().focus().setNodeSelection(pos).updateAttributes("image", attrs).run();
        });
      });
      return {
        dom,
        update: (updated) => {
          if (updated.type !== current.type) return false;
          current = updated;
          paint();
          return true;
        },
        stopEvent: (event) => event.target === edit,
        ignoreMutation: () => true,
      };
    };
  },
});

export function documentExtensions(editors: BlockEditors) {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      codeBlock: false,
      underline: false,
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: "https",
        protocols: ["http", "https", "mailto"],
        HTMLAttributes: { rel: "noopener noreferrer", target: null },
      },
    }),
    Placeholder.configure({ placeholder: "Write the story. Use the toolbar for headings, quotes, images and embeds." }),
    PullQuote,
    PreviewBoundary,
    Embed,
    Figure.configure({ editors }),
  ];
}

/** What an embed URL is, from the address alone: the server never fetches it. */
export function embedFromUrl(raw: string): EmbedAttrs | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const host = url.hostname.toLowerCase();
  if (["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"].includes(host)) {
    return { provider: "youtube", url: url.toString(), title: "" };
  }
  if (["x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"].includes(host)) {
    return { provider: "x", url: url.toString(), title: "" };
  }
  return null;
}
