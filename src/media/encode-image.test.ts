import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { AppError } from "../shared/errors.js";
import { variantsOf } from "../shared/responsive-image.js";
import { encodeImage, sniffFormat } from "./encode-image.js";

/** A 300×200 JPEG whose EXIF says "rotate 90°" and names its photographer and where it was taken. */
async function photoWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 300, height: 200, channels: 3, background: "#c33" } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Artist: "Secret Photographer" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 12/1" },
    })
    .toBuffer();
}

async function refusal(bytes: Buffer, limits?: { maxPixels: number }) {
  const err = await encodeImage(bytes, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return { status: (err as AppError).status, code: (err as AppError).code };
}

describe("encoding an upload", () => {
  test("a JPEG is turned upright and re-encoded with no EXIF, and its variants follow the naming scheme", async () => {
    const input = await photoWithExif();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    const out = await encodeImage(input);
    expect({ format: out.format, width: out.width, height: out.height }).toEqual({
      format: "jpeg",
      width: 200,
      height: 300,
    });
    expect(out.variants.map((v) => ({ width: v.width, height: v.height, extension: v.extension }))).toEqual(
      variantsOf({ stem: "x", width: 200, height: 300 }).map((v) => ({
        width: v.width,
        height: v.height,
        extension: v.key.endsWith(".webp") ? "webp" : "jpg",
      })),
    );
    for (const file of [out.original, ...out.variants.map((v) => v.body)]) {
      const meta = await sharp(file).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(file.includes("Secret Photographer")).toBe(false);
      expect(file.includes("Exif\0\0")).toBe(false);
    }
    expect((await sharp(out.original).metadata()).format).toBe("jpeg");
    expect((await sharp(out.variants[0]!.body).metadata()).format).toBe("webp");
    expect((await sharp(out.variants[1]!.body).metadata()).format).toBe("jpeg");
  });

  test("a large PNG keeps its format and gets every width, none wider than the original", async () => {
    const input = await sharp({ create: { width: 1700, height: 100, channels: 4, background: "#0000" } })
      .png()
      .toBuffer();
    const out = await encodeImage(input);
    expect(out.format).toBe("png");
    expect((await sharp(out.original).metadata()).hasAlpha).toBe(true);
    expect([...new Set(out.variants.map((v) => v.width))]).toEqual([480, 800, 1200, 1600]);
  });

  test("GIF, WebP and AVIF are accepted and keep their format", async () => {
    const base = () => sharp({ create: { width: 40, height: 30, channels: 3, background: "#3a6" } });
    for (const [format, bytes] of [
      ["gif", await base().gif().toBuffer()],
      ["webp", await base().webp().toBuffer()],
      ["avif", await base().avif().toBuffer()],
    ] as const) {
      const out = await encodeImage(bytes);
      expect({ format: out.format, width: out.width }).toEqual({ format, width: 40 });
      const meta = await sharp(out.original).metadata();
      expect(format === "avif" ? meta.compression : meta.format).toBe(format === "avif" ? "av1" : format);
    }
  });

  test("the type comes from the content: text, SVG, HEIC-like and damaged files are refused", async () => {
    expect(await refusal(Buffer.from("just some text, named photo.jpg"))).toEqual({
      status: 415,
      code: "NOT_AN_IMAGE",
    });
    const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    expect(await refusal(Buffer.from(svg))).toEqual({ status: 415, code: "SVG_NOT_ACCEPTED" });
    expect(await refusal(Buffer.from(`  \n<svg onload="alert(1)"></svg>`))).toEqual({
      status: 415,
      code: "SVG_NOT_ACCEPTED",
    });
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#000" } })
      .jpeg()
      .toBuffer();
    expect(await refusal(jpeg.subarray(0, 200))).toEqual({ status: 415, code: "IMAGE_UNREADABLE" });
    expect(await refusal(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]))).toEqual({
      status: 415,
      code: "IMAGE_UNREADABLE",
    });
    expect(sniffFormat(Buffer.from("\0\0\0\x18ftypheic\0\0\0\0", "latin1"))).toBeUndefined();
  });

  test("an image over the pixel limit is refused before its pixels are decoded", async () => {
    const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    expect(await refusal(png, { maxPixels: 19_999 })).toEqual({ status: 413, code: "IMAGE_TOO_LARGE" });
    expect((await encodeImage(png, { maxPixels: 20_000 })).width).toBe(200);
  });
});
