import { useState } from "preact/hooks";
import { api, uploadFile } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, formatTime, PageHeader, useLoad } from "../parts.js";
import type { MediaImage } from "../types.js";
import { ACCEPTED_IMAGES } from "./accepted-images.js";

type GridProps = { onPick: (image: MediaImage) => void; pickLabel: string };

/** Every uploaded image, newest first: search by words, upload by picker, drag-and-drop or paste. */
export function MediaGrid({ onPick, pickLabel }: GridProps) {
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [tick, setTick] = useState(0);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const list = useLoad(() => api("GET", "/media", { query: { q, page, perPage: 24 } }), `${q}:${page}:${tick}`);

  const upload = async (files: FileList | File[] | null | undefined) => {
    const images = [...(files ?? [])].filter((f) => f.type.startsWith("image/") || f.name);
    if (!images.length) return;
    setError(null);
    setUploading((n) => n + images.length);
    for (const file of images) {
      try {
        await uploadFile("/media", file);
      } catch (err) {
        setError(`${file.name}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        setUploading((n) => n - 1);
      }
    }
    setPage(1);
    setTick((t) => t + 1);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping and pasting files add to the upload button, which keyboards reach.
    <div
      class={`media-drop${over ? " is-over" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        upload(e.dataTransfer?.files);
      }}
      onPaste={(e) => upload(e.clipboardData?.files)}
    >
      <div class="filters">
        <label class="field field-grow">
          <span class="sr-only">Search images</span>
          <input
            type="search"
            placeholder="Search alt text, captions and file names"
            value={q}
            onInput={(e) => {
              setQ(e.currentTarget.value);
              setPage(1);
            }}
          />
        </label>
        <label class="button button-primary file-button">
          {uploading ? `Uploading ${uploading}…` : "Upload images"}
          <input
            type="file"
            accept={ACCEPTED_IMAGES}
            multiple
            class="sr-only"
            onChange={(e) => upload(e.currentTarget.files)}
          />
        </label>
      </div>
      <p class="hint">
        Drop image files here or paste one. JPEG, PNG, WebP, GIF or AVIF; location and camera data are removed.
      </p>
      {(error || list.error) && <ErrorNote>{error ?? list.error}</ErrorNote>}
      <ul class="media-grid">
        {list.data?.images.map((image) => (
          <li key={image.id}>
            <button
              type="button"
              class="media-tile"
              onClick={() => onPick(image)}
              aria-label={`${pickLabel}: ${image.alt || image.originalName}`}
            >
              <img src={image.url} alt="" loading="lazy" width={image.width} height={image.height} />
              <span class="media-name">{image.alt || image.originalName}</span>
              {!image.alt && <span class="badge badge-warn">No alt text</span>}
            </button>
          </li>
        ))}
      </ul>
      {list.data && list.data.images.length === 0 && <p class="empty">No images yet{q ? " match" : ""}.</p>}
      {list.data && list.data.meta.pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button type="button" class="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {list.data.meta.pages}
          </span>
          <button
            type="button"
            class="button"
            disabled={page >= list.data.meta.pages}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}

/** The media library screen: choose an image to describe it. */
export function MediaScreen() {
  const [editing, setEditing] = useState<MediaImage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const save = async () => {
    if (!editing) return;
    setError(null);
    try {
      await api("PATCH", "/media/{id}", {
        params: { id: editing.id },
        body: { alt: editing.alt, caption: editing.caption, credit: editing.credit },
      });
      setEditing(null);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section>
      <PageHeader title="Media" />
      <MediaGrid key={version} onPick={setEditing} pickLabel="Describe" />
      <Dialog title="Image details" open={editing !== null} onClose={() => setEditing(null)} onSubmit={save}>
        {editing && (
          <div class="image-fields">
            <img class="image-preview" src={editing.url} alt="" />
            <p class="hint">
              {editing.originalName} · {editing.width}×{editing.height} · {Math.ceil(editing.bytes / 1024)} KB ·{" "}
              {formatTime(editing.createdAt)}
            </p>
            <label class="field">
              <span>Alt text</span>
              <textarea
                rows={2}
                maxLength={500}
                value={editing.alt}
                onInput={(e) => setEditing({ ...editing, alt: e.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>Caption</span>
              <textarea
                rows={2}
                maxLength={1000}
                value={editing.caption}
                onInput={(e) => setEditing({ ...editing, caption: e.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>Credit</span>
              <input
                maxLength={300}
                value={editing.credit}
                onInput={(e) => setEditing({ ...editing, credit: e.currentTarget.value })}
              />
            </label>
            {error && <p class="field-error">{error}</p>}
            <p class="hint">
              These are what a new use of the image starts with; articles keep the words they were given.
            </p>
          </div>
        )}
      </Dialog>
    </section>
  );
}
