/**
 * An upload's bytes → a clean original and its variants, or a refusal. Nothing in the file is trusted: the
 * format comes from its first bytes and the decoder agreeing on them, never from its name or declared type,
 * and every output is decoded and encoded afresh by sharp, which writes no EXIF, GPS or other metadata.
 * sharp (libvips) is loaded by the first upload, not at start-up.
 */
import type { Metadata, Sharp } from "sharp";
import { TooLarge, UnsupportedMediaType } from "../shared/errors.js";
import { type OriginalExtension, scaledHeight, variantWidths } from "../shared/responsive-image.js";

/** Decompression bombs stop here: a 10 KB PNG can claim 20000×20000 pixels (400 MP, over a gigabyte decoded). */
export const MAX_INPUT_PIXELS = 100_000_000;

export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "avif";

export const EXTENSIONS: Record<ImageFormat, OriginalExtension> = {
  jpeg: "jpg",
  png: "png",
  webp: "webp",
  gif: "gif",
  avif: "avif",
};

export type EncodedFile = { width: number; height: number; body: Buffer };
export type EncodedImage = {
  format: ImageFormat;
  width: number;
  height: number;
  original: Buffer;
  /** Smallest first; each width has a WebP and a JPEG. */
  variants: (EncodedFile & { extension: "webp" | "jpg" })[];
};

const ACCEPTED = "Upload a JPEG, PNG, WebP, GIF or AVIF image";

/** The format the file's first bytes announce, among those accepted. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString("latin1");
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(4, 8) === "ftyp" && ["avif", "avis"].includes(ascii(8, 12))) return "avif";
  return undefined;
}

/** Whether sharp's reading of the header agrees with the first bytes (AVIF is HEIF with AV1 inside). */
function decoderAgrees(format: ImageFormat, meta: Metadata): boolean {
  if (format === "avif") return meta.format === "heif" && meta.compression === "av1";
  return meta.format === format;
}

function refuseUnknown(bytes: Uint8Array): never {
  const head = Buffer.from(bytes.subarray(0, 512)).toString("utf8").trimStart().toLowerCase();
  if (head.startsWith("<svg") || head.startsWith("<?xml") || head.includes("<svg")) {
    throw new UnsupportedMediaType("SVG_NOT_ACCEPTED", "SVG images are not accepted: they can carry scripts", {
      property: "file",
      help: `Export the drawing as PNG, then upload that. ${ACCEPTED}.`,
    });
  }
  throw new UnsupportedMediaType("NOT_AN_IMAGE", "This file is not an image this site accepts", {
    property: "file",
    help: `${ACCEPTED}; the file's name and type are not looked at, only its content.`,
  });
}

function unreadable(cause: unknown): UnsupportedMediaType {
  return new UnsupportedMediaType("IMAGE_UNREADABLE", "This image could not be read: the file may be damaged", {
    property: "file",
    help: `Open it in an image editor and save it again. ${ACCEPTED}.`,
    cause,
  });
}

/** Refuses what is not an accepted image, or decodes to too many pixels; otherwise re-encodes it. */
export async function encodeImage(bytes: Buffer, limits = { maxPixels: MAX_INPUT_PIXELS }): Promise<EncodedImage> {
  const format = sniffFormat(bytes);
  if (!format) refuseUnknown(bytes);
  const { default: sharp } = await import("sharp");
  // Reading the header decodes no pixel data, so the size can be checked before anything is decoded.
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(err);
  }
  if (!decoderAgrees(format, meta) || !meta.width || !meta.height) throw unreadable(undefined);
  if (meta.width * meta.height > limits.maxPixels) {
    throw new TooLarge(
      "IMAGE_TOO_LARGE",
      `This image is ${meta.width}×${meta.height} pixels; the limit is ${Math.floor(limits.maxPixels / 1_000_000)} megapixels`,
      { property: "file", help: "Scale it down, then upload it again" },
    );
  }
  // GIFs and animated WebPs keep their first frame (pages: 1); .rotate() applies the EXIF orientation before
  // the EXIF goes. failOn "warning" refuses truncated and corrupt pixel data, as sharp advises for untrusted input.
  const decode = () =>
    sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "warning", pages: 1 }).rotate() as Sharp;
  try {
    const { data: original, info } = await reencode(decode(), format).toBuffer({ resolveWithObject: true });
    const variants: EncodedImage["variants"] = [];
    for (const width of variantWidths(info.width)) {
      const height = scaledHeight(info, width);
      const resized = () => decode().resize(width, height, { fit: "fill" });
      variants.push({ extension: "webp", width, height, body: await resized().webp({ quality: 80 }).toBuffer() });
      const jpeg = await resized()
        .flatten({ background: "#ffffff" })
        .jpeg({ quality: 82, progressive: true, mozjpeg: true })
        .toBuffer();
      variants.push({ extension: "jpg", width, height, body: jpeg });
    }
    return { format, width: info.width, height: info.height, original, variants };
  } catch (err) {
    throw unreadable(err);
  }
}

function reencode(image: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case "jpeg":
      return image.jpeg({ quality: 90, mozjpeg: true });
    case "png":
      return image.png({ compressionLevel: 8 });
    case "webp":
      return image.webp({ quality: 90 });
    case "gif":
      return image.gif();
    case "avif":
      return image.avif({ quality: 60, effort: 3 });
  }
}
