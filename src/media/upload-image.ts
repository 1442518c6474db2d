/** An upload becomes a library image: checked and re-encoded in memory, then its files, then its row. */
import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { contentTypeOf, variantKey } from "../shared/responsive-image.js";
import { EXTENSIONS, encodeImage, MAX_INPUT_PIXELS } from "./encode-image.js";
import { getImage, keysOf, type MediaImage } from "./queries.js";
import { mediaImages } from "./schema.js";
import type { MediaStorage } from "./storage.js";

export type MediaDeps = { db: Db; clock: Clock; storage: MediaStorage };

export type UploadInput = {
  bytes: Buffer;
  /** The name the file had on the uploader's computer: kept to search by, never used to name anything. */
  originalName: string;
  by: string;
};

/**
 * Stores an image and its variants, or nothing: a refused file is refused before anything is written, and
 * files already written are removed again when a later step fails.
 */
export async function uploadImage(deps: MediaDeps, input: UploadInput): Promise<MediaImage> {
  const encoded = await encodeImage(input.bytes, { maxPixels: MAX_INPUT_PIXELS });
  const id = randomUUID();
  const keys = keysOf({ id, width: encoded.width, height: encoded.height, format: encoded.format });
  const files = [
    {
      key: keys.original,
      body: encoded.original,
      contentType: contentTypeOf({ extension: EXTENSIONS[encoded.format] }),
    },
    ...encoded.variants.map((v) => ({
      key: variantKey(id, v.width, v.extension),
      body: v.body,
      contentType: contentTypeOf(v),
    })),
  ];
  const written: string[] = [];
  try {
    for (const file of files) {
      await deps.storage.put(file.key, file.body, file.contentType);
      written.push(file.key);
    }
    const now = deps.clock.now();
    await deps.db.insert(mediaImages).values({
      id,
      format: encoded.format,
      width: encoded.width,
      height: encoded.height,
      bytes: encoded.original.length,
      originalName: cleanName(input.originalName),
      uploadedBy: input.by,
      createdAt: now,
      updatedAt: now,
    });
  } catch (err) {
    await Promise.allSettled(written.map((key) => deps.storage.delete(key)));
    throw err;
  }
  return getImage(deps.db, id);
}

/** The last path segment, without control characters, at most 255 characters. */
function cleanName(name: string): string {
  const last = basename(name.replaceAll("\\", "/"));
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return last.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 255);
}
