import { uploadFile } from "../api.js";
import type { MediaImage } from "../types.js";
import type { ImageAttrs } from "./document-extensions.js";

/** Where pictures come from: an upload into the media library. */
export type ImagePicker = {
  upload: (file: File) => Promise<ImageAttrs>;
  onError: (message: string) => void;
};

/** A library image as the editor's figure: its address and the words already written for it. */
export const figureOf = (image: MediaImage): ImageAttrs => ({
  src: image.url,
  alt: image.alt,
  caption: image.caption,
  credit: image.credit,
});

/** How pictures reach the editor: uploaded into the media library, or chosen from it. */
export function imagePicker(onError: (message: string) => void): ImagePicker {
  return {
    upload: async (file) => figureOf((await uploadFile("/media", file)).image),
    onError,
  };
}
