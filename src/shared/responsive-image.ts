/**
 * The addresses of uploaded images: one naming scheme, written by media and read by every renderer. An
 * original's address carries its size (`/media/<id>-1600x900.jpg`), so a page derives the sizes it has
 * (`/media/<id>-800w.webp`, `…-800w.jpg`) and its width and height without asking the database.
 * Changing VARIANT_WIDTHS changes what renderers ask for: images stored before would need their variants made.
 */

export const MEDIA_PREFIX = "/media/";
/** Never upscaled: an image narrower than a width gets no variant of it, and one at its own width instead. */
export const VARIANT_WIDTHS = [480, 800, 1200, 1600] as const;

export const ORIGINAL_EXTENSIONS = ["jpg", "png", "webp", "gif", "avif"] as const;
export type OriginalExtension = (typeof ORIGINAL_EXTENSIONS)[number];
export type VariantExtension = "webp" | "jpg";

const CONTENT_TYPES: Record<OriginalExtension, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  avif: "image/avif",
};

const STEM = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const SIZE = "[1-9][0-9]{0,4}";
/** Every stored name matches this, and nothing else is ever read: no slashes, no dots but the extension's. */
export const MEDIA_KEY_PATTERN = new RegExp(
  `^(${STEM})-(?:(${SIZE})x(${SIZE})\\.(${ORIGINAL_EXTENSIONS.join("|")})|(${SIZE})w\\.(webp|jpg))$`,
);

export type MediaKey =
  | { kind: "original"; stem: string; width: number; height: number; extension: OriginalExtension }
  | { kind: "variant"; stem: string; width: number; extension: VariantExtension };

export type ImageVariant = { key: string; width: number; height: number; contentType: string };

export function parseMediaKey(key: string): MediaKey | undefined {
  const m = MEDIA_KEY_PATTERN.exec(key);
  if (!m) return undefined;
  const [, stem, width, height, extension, variantWidth, variantExtension] = m;
  if (extension) {
    return {
      kind: "original",
      stem: stem!,
      width: Number(width),
      height: Number(height),
      extension: extension as OriginalExtension,
    };
  }
  return { kind: "variant", stem: stem!, width: Number(variantWidth), extension: variantExtension as VariantExtension };
}

/** The content type a stored name stands for; the server chose the extension from the decoded image. */
export function contentTypeOf(key: { extension: OriginalExtension | VariantExtension }): string {
  return CONTENT_TYPES[key.extension];
}

export function originalKey(input: { stem: string; width: number; height: number; extension: OriginalExtension }) {
  return `${input.stem}-${input.width}x${input.height}.${input.extension}`;
}

export function variantKey(stem: string, width: number, extension: VariantExtension): string {
  return `${stem}-${width}w.${extension}`;
}

export function variantWidths(originalWidth: number): number[] {
  const smaller = VARIANT_WIDTHS.filter((w) => w < originalWidth);
  const largest = VARIANT_WIDTHS[VARIANT_WIDTHS.length - 1]!;
  return originalWidth <= largest ? [...smaller, originalWidth] : smaller;
}

/** The height of a variant `width` wide, keeping the original's proportions. */
export function scaledHeight(original: { width: number; height: number }, width: number): number {
  return Math.max(1, Math.round((original.height * width) / original.width));
}

/** The variants of an original, WebP and JPEG at each width, smallest first. */
export function variantsOf(original: { stem: string; width: number; height: number }): ImageVariant[] {
  return variantWidths(original.width).flatMap((width) => {
    const height = scaledHeight(original, width);
    return (["webp", "jpg"] as const).map((extension) => ({
      key: variantKey(original.stem, width, extension),
      width,
      height,
      contentType: CONTENT_TYPES[extension],
    }));
  });
}

export function srcsetOf(variants: ImageVariant[], contentType: string): string {
  return variants
    .filter((v) => v.contentType === contentType)
    .map((v) => `${MEDIA_PREFIX}${v.key} ${v.width}w`)
    .join(", ");
}

export type ResponsiveImage = {
  /** The original's size: the width and height attributes that reserve its space before it loads. */
  width: number;
  height: number;
  /** The largest JPEG variant: what a browser without srcset support shows, and what share cards point at. */
  src: { url: string; width: number; height: number };
  webpSrcset: string;
  jpegSrcset: string;
};

/** The variants behind an uploaded original's address (`/media/<id>-<W>x<H>.<ext>`); undefined for any other src. */
export function responsiveImage(src: string): ResponsiveImage | undefined {
  if (!src.startsWith(MEDIA_PREFIX)) return undefined;
  const key = parseMediaKey(src.slice(MEDIA_PREFIX.length));
  if (key?.kind !== "original") return undefined;
  const variants = variantsOf(key);
  const largestJpeg = variants.filter((v) => v.contentType === "image/jpeg").at(-1)!;
  return {
    width: key.width,
    height: key.height,
    src: { url: `${MEDIA_PREFIX}${largestJpeg.key}`, width: largestJpeg.width, height: largestJpeg.height },
    webpSrcset: srcsetOf(variants, "image/webp"),
    jpegSrcset: srcsetOf(variants, "image/jpeg"),
  };
}
