/** The media library's reads: an image with the addresses of its files, newest first, searched as typed. */
import { and, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { NotFound } from "../shared/errors.js";
import {
  contentTypeOf,
  type ImageVariant,
  MEDIA_PREFIX,
  originalKey,
  srcsetOf,
  variantsOf,
} from "../shared/responsive-image.js";
import type { Page } from "../shared/types.js";
import { EXTENSIONS, type ImageFormat } from "./encode-image.js";
import { mediaImages } from "./schema.js";

export type MediaImageRow = typeof mediaImages.$inferSelect;

export type MediaImage = {
  id: string;
  /** The re-encoded original: what an article's image or feature image points at. */
  url: string;
  contentType: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  originalName: string;
  alt: string;
  caption: string;
  credit: string;
  uploadedBy: string | null;
  variants: { url: string; width: number; height: number; contentType: string }[];
  /** Ready for `<source type="image/webp" srcset>` and `<img srcset>`. */
  srcset: { webp: string; jpeg: string };
  createdAt: Date;
  updatedAt: Date;
};

/** Every stored name of an image: its original first, then its variants. */
export function keysOf(row: Pick<MediaImageRow, "id" | "width" | "height" | "format">): {
  original: string;
  variants: ImageVariant[];
} {
  const original = { stem: row.id, width: row.width, height: row.height };
  return { original: originalKey({ ...original, extension: EXTENSIONS[row.format] }), variants: variantsOf(original) };
}

export function toMediaImage(row: MediaImageRow): MediaImage {
  const keys = keysOf(row);
  return {
    id: row.id,
    url: MEDIA_PREFIX + keys.original,
    contentType: contentTypeOf({ extension: EXTENSIONS[row.format] }),
    format: row.format,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    originalName: row.originalName,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    uploadedBy: row.uploadedBy,
    variants: keys.variants.map((v) => ({
      url: MEDIA_PREFIX + v.key,
      width: v.width,
      height: v.height,
      contentType: v.contentType,
    })),
    srcset: { webp: srcsetOf(keys.variants, "image/webp"), jpeg: srcsetOf(keys.variants, "image/jpeg") },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function getImage(db: Queryable, id: string): Promise<MediaImage> {
  const [row] = await db.select().from(mediaImages).where(eq(mediaImages.id, id));
  if (!row) throw new NotFound("IMAGE_NOT_FOUND", `No image with id ${id}`);
  return toMediaImage(row);
}

export type ImageListInput = { q?: string; page: number; perPage: number };

/** Newest first; `q` matches alt text, caption, credit or the uploaded file's name, anywhere, ignoring case. */
export async function listImages(db: Queryable, input: ImageListInput): Promise<Page<MediaImage>> {
  const conditions: SQL[] = [];
  const q = input.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(mediaImages.alt, pattern),
        ilike(mediaImages.caption, pattern),
        ilike(mediaImages.credit, pattern),
        ilike(mediaImages.originalName, pattern),
      )!,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const rows = await db
    .select()
    .from(mediaImages)
    .where(where)
    .orderBy(desc(mediaImages.createdAt), desc(mediaImages.id))
    .limit(input.perPage)
    .offset((input.page - 1) * input.perPage);
  const [counted] = await db.select({ total: count() }).from(mediaImages).where(where);
  const total = Number(counted?.total ?? 0);
  return {
    items: rows.map(toMediaImage),
    page: input.page,
    pages: Math.max(1, Math.ceil(total / input.perPage)),
    total,
  };
}
