import { Editor } from "@tiptap/core";
import { useEffect, useReducer, useRef, useState } from "preact/hooks";
import { Dialog } from "../dialog.js";
import { documentExtensions, type EmbedAttrs, embedFromUrl, type ImageAttrs } from "./document-extensions.js";
import { ImageFields } from "./image-fields.js";
import type { ImagePicker } from "./media-upload.js";

type Props = {
  initial: unknown;
  onChange: (doc: unknown) => void;
  /** Replaces the document from outside (taking the other version of a conflict, restoring a revision). */
  replaceWith: { doc: unknown; at: number } | null;
  images: ImagePicker;
};

type Open =
  | { kind: "link"; href: string }
  | { kind: "image"; attrs: ImageAttrs; save: (attrs: ImageAttrs) => void }
  | { kind: "embed"; url: string; error: string | null }
  | { kind: "pullQuote"; attribution: string }
  | null;

const EMPTY_IMAGE: ImageAttrs = { src: "", alt: "", caption: "", credit: "" };

/** The story's body: TipTap with a toolbar of the paper's blocks; it reports the document JSON on every change. */
export function BodyEditor({ initial, onChange, replaceWith, images }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<Editor | null>(null);
  const [, repaint] = useReducer((n: number) => n + 1, 0);
  const [open, setOpen] = useState<Open>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const editor = new Editor({
      element: host.current!,
      extensions: documentExtensions({
        editImage: (attrs, save) => setOpen({ kind: "image", attrs, save }),
      }),
      content: initial && typeof initial === "object" ? initial : { type: "doc", content: [] },
      editorProps: {
        attributes: { class: "prose", "aria-label": "Article text", role: "textbox", "aria-multiline": "true" },
        handleDrop: (_view, event) => dropOrPaste(event.dataTransfer?.files),
        handlePaste: (_view, event) => dropOrPaste(event.clipboardData?.files),
      },
      onUpdate: ({ editor: e }) => changed.current(e.getJSON()),
      onTransaction: () => repaint(0),
    });
    editorRef.current = editor;
    return () => editor.destroy();
  }, []);

  // A closed dialog hands focus back to the text with its selection drawn again, so typing carries on there.
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) editorRef.current?.commands.focus();
    wasOpen.current = Boolean(open);
  }, [open]);

  useEffect(() => {
    if (replaceWith && editorRef.current)
      editorRef.current.commands.setContent(replaceWith.doc as object, { emitUpdate: false });
  }, [replaceWith]);

  /** Image files dropped or pasted into the text are uploaded and placed where they fell. */
  function dropOrPaste(files: FileList | undefined): boolean {
    const file = files?.[0];
    if (!file?.type.startsWith("image/")) return false;
    images.upload(file).then(
      (attrs) => setOpen({ kind: "image", attrs, save: insertImage }),
      (err: unknown) => images.onError(err instanceof Error ? err.message : String(err)),
    );
    return true;
  }

  const editor = editorRef.current;
  const chain = () => editor!.chain().focus();
  const insertImage = (attrs: ImageAttrs) => chain().insertContent({ type: "image", attrs }).run();
  const active = (name: string, attrs?: Record<string, unknown>) => (editor?.isActive(name, attrs) ? "true" : "false");
  const blockType = !editor
    ? "paragraph"
    : editor.isActive("heading", { level: 2 })
      ? "h2"
      : editor.isActive("heading", { level: 3 })
        ? "h3"
        : editor.isActive("heading", { level: 4 })
          ? "h4"
          : "paragraph";

  const setBlock = (value: string) => {
    if (value === "paragraph") chain().setParagraph().run();
    else
      chain()
        .setHeading({ level: Number(value.slice(1)) as 2 | 3 | 4 })
        .run();
  };

  const insertBoundary = () => {
    if (!editor) return;
    // One boundary per article: placing it again moves it.
    const { state } = editor;
    let existing: number | null = null;
    state.doc.descendants((node, pos) => {
      if (node.type.name === "previewBoundary") existing = pos;
    });
    let c = editor.chain().focus();
    if (existing !== null) c = c.deleteRange({ from: existing, to: existing + 1 });
    c.insertContent({ type: "previewBoundary" }).run();
  };

  const submitDialog = () => {
    if (!open || !editor) return;
    if (open.kind === "link") {
      const href = open.href.trim();
      if (!href) chain().extendMarkRange("link").unsetLink().run();
      else chain().extendMarkRange("link").setLink({ href }).run();
    } else if (open.kind === "image") {
      if (!open.attrs.src) return;
      open.save(open.attrs);
    } else if (open.kind === "embed") {
      const embed: EmbedAttrs | null = embedFromUrl(open.url);
      if (!embed) {
        setOpen({ ...open, error: "Paste a link to a post on X or a YouTube video." });
        return;
      }
      chain().insertContent({ type: "embed", attrs: embed }).run();
    } else if (open.kind === "pullQuote") {
      if (editor.isActive("pullQuote")) chain().updateAttributes("pullQuote", { attribution: open.attribution }).run();
      else chain().setNode("pullQuote", { attribution: open.attribution }).run();
    }
    setOpen(null);
  };

  return (
    <div class="body-editor">
      <div class="toolbar" role="toolbar" aria-label="Formatting">
        <select aria-label="Text style" value={blockType} onChange={(e) => setBlock(e.currentTarget.value)}>
          <option value="paragraph">Paragraph</option>
          <option value="h2">Heading</option>
          <option value="h3">Subheading</option>
          <option value="h4">Minor heading</option>
        </select>
        <span class="toolbar-group">
          <Tool label="Bold (Ctrl+B)" pressed={active("bold")} onClick={() => chain().toggleBold().run()}>
            <b>B</b>
          </Tool>
          <Tool label="Italic (Ctrl+I)" pressed={active("italic")} onClick={() => chain().toggleItalic().run()}>
            <i>I</i>
          </Tool>
          <Tool label="Strikethrough" pressed={active("strike")} onClick={() => chain().toggleStrike().run()}>
            <s>S</s>
          </Tool>
          <Tool
            label="Link"
            pressed={active("link")}
            onClick={() => setOpen({ kind: "link", href: (editor?.getAttributes("link").href as string) ?? "" })}
          >
            Link
          </Tool>
        </span>
        <span class="toolbar-group">
          <Tool label="Bulleted list" pressed={active("bulletList")} onClick={() => chain().toggleBulletList().run()}>
            • List
          </Tool>
          <Tool
            label="Numbered list"
            textIsName
            pressed={active("orderedList")}
            onClick={() => chain().toggleOrderedList().run()}
          >
            1. List
          </Tool>
          <Tool label="Block quote" pressed={active("blockquote")} onClick={() => chain().toggleBlockquote().run()}>
            Quote
          </Tool>
          <Tool
            label="Pull quote"
            pressed={active("pullQuote")}
            onClick={() =>
              setOpen({
                kind: "pullQuote",
                attribution: (editor?.getAttributes("pullQuote").attribution as string) ?? "",
              })
            }
          >
            Pull quote
          </Tool>
        </span>
        <span class="toolbar-group">
          <Tool label="Image" onClick={() => setOpen({ kind: "image", attrs: { ...EMPTY_IMAGE }, save: insertImage })}>
            Image
          </Tool>
          <Tool
            label="Embed a post on X or a YouTube video"
            onClick={() => setOpen({ kind: "embed", url: "", error: null })}
          >
            Embed
          </Tool>
          <Tool label="Horizontal rule" onClick={() => chain().setHorizontalRule().run()}>
            Rule
          </Tool>
          <Tool label="Preview ends here (paywall boundary)" onClick={insertBoundary}>
            Preview ends
          </Tool>
        </span>
        <span class="toolbar-group">
          <Tool label="Undo (Ctrl+Z)" disabled={!editor?.can().undo()} onClick={() => chain().undo().run()}>
            Undo
          </Tool>
          <Tool label="Redo (Ctrl+Shift+Z)" disabled={!editor?.can().redo()} onClick={() => chain().redo().run()}>
            Redo
          </Tool>
        </span>
      </div>
      <div ref={host} class="editor-host" />

      <Dialog title="Link" open={open?.kind === "link"} onClose={() => setOpen(null)} onSubmit={submitDialog}>
        {open?.kind === "link" && (
          <label class="field">
            <span>Address (leave empty to remove the link)</span>
            <input
              type="url"
              name="href"
              placeholder="https://…"
              value={open.href}
              onInput={(e) => setOpen({ ...open, href: e.currentTarget.value })}
            />
          </label>
        )}
      </Dialog>
      <Dialog title="Image" open={open?.kind === "image"} onClose={() => setOpen(null)} onSubmit={submitDialog}>
        {open?.kind === "image" && (
          <ImageFields value={open.attrs} onChange={(attrs) => setOpen({ ...open, attrs })} images={images} />
        )}
      </Dialog>
      <Dialog
        title="Embed"
        open={open?.kind === "embed"}
        onClose={() => setOpen(null)}
        onSubmit={submitDialog}
        submitLabel="Embed"
      >
        {open?.kind === "embed" && (
          <>
            <label class="field">
              <span>Link to a post on X or a YouTube video</span>
              <input
                type="url"
                name="embed-url"
                value={open.url}
                onInput={(e) => setOpen({ ...open, url: e.currentTarget.value, error: null })}
              />
            </label>
            <p class="hint">Readers see a link card; no third-party script is loaded on the site.</p>
            {open.error && <p class="field-error">{open.error}</p>}
          </>
        )}
      </Dialog>
      <Dialog
        title="Pull quote"
        open={open?.kind === "pullQuote"}
        onClose={() => setOpen(null)}
        onSubmit={submitDialog}
      >
        {open?.kind === "pullQuote" && (
          <label class="field">
            <span>Who said it (optional)</span>
            <input
              name="attribution"
              value={open.attribution}
              maxLength={300}
              onInput={(e) => setOpen({ ...open, attribution: e.currentTarget.value })}
            />
          </label>
        )}
      </Dialog>
    </div>
  );
}

type ToolProps = {
  /** The tooltip; also the button's name unless its visible text names it (`textIsName`). */
  label: string;
  /** Speech-input users say what they see: when the text is not a word of the label ("1. List"), it is the name. */
  textIsName?: boolean;
  pressed?: "true" | "false";
  disabled?: boolean;
  onClick: () => void;
  children: preact.ComponentChildren;
};

function Tool({ label, textIsName, pressed, disabled, onClick, children }: ToolProps) {
  return (
    <button
      type="button"
      class="tool"
      title={label}
      aria-label={textIsName ? undefined : label}
      aria-pressed={pressed}
      disabled={disabled}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
