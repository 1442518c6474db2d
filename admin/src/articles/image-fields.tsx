import { useState } from "preact/hooks";
import { Dialog } from "../dialog.js";
import { ACCEPTED_IMAGES } from "../media/accepted-images.js";
import { MediaGrid } from "../media/media-library.js";
import type { ImageAttrs } from "./document-extensions.js";
import { figureOf, type ImagePicker } from "./media-upload.js";

type Props = { value: ImageAttrs; onChange: (value: ImageAttrs) => void; images: ImagePicker };

/** One picture's fields, for body images and the feature image alike. */
export function ImageFields({ value, onChange, images }: Props) {
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const set = (key: keyof ImageAttrs) => (e: Event) =>
    onChange({ ...value, [key]: (e.currentTarget as HTMLInputElement).value });

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      const uploaded = await images.upload(file);
      onChange({
        ...uploaded,
        alt: value.alt || uploaded.alt,
        caption: value.caption || uploaded.caption,
        credit: value.credit || uploaded.credit,
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  };

  return (
    <div class="image-fields">
      {value.src && <img class="image-preview" src={value.src} alt="" />}
      <div class="inline-fields">
        <label class="field field-grow">
          <span>{uploading ? "Uploading…" : "Upload a picture"}</span>
          <input
            type="file"
            accept={ACCEPTED_IMAGES}
            disabled={uploading}
            onChange={(e) => upload(e.currentTarget.files?.[0])}
          />
        </label>
        <button type="button" class="button" onClick={() => setBrowsing(true)}>
          Choose from the library
        </button>
      </div>
      <Dialog title="Media library" wide open={browsing} onClose={() => setBrowsing(false)}>
        {browsing && (
          <MediaGrid
            pickLabel="Use"
            onPick={(image) => {
              const picked = figureOf(image);
              onChange({
                ...picked,
                alt: picked.alt || value.alt,
                caption: picked.caption || value.caption,
                credit: picked.credit || value.credit,
              });
              setBrowsing(false);
            }}
          />
        )}
      </Dialog>
      {error && <p class="field-error">{error}</p>}
      <label class="field">
        <span>Image address</span>
        <input type="text" name="src" value={value.src} placeholder="/media/… or https://…" onInput={set("src")} />
      </label>
      <label class="field">
        <span>Alt text (what the picture shows, for readers who cannot see it)</span>
        <textarea name="alt" rows={2} maxLength={500} value={value.alt} onInput={set("alt")} />
      </label>
      {!value.alt.trim() && value.src && <p class="field-warning">Needed before the article can be published.</p>}
      <label class="field">
        <span>Caption</span>
        <textarea name="caption" rows={2} maxLength={1000} value={value.caption} onInput={set("caption")} />
      </label>
      <label class="field">
        <span>Credit</span>
        <input name="credit" maxLength={300} value={value.credit} onInput={set("credit")} />
      </label>
    </div>
  );
}
