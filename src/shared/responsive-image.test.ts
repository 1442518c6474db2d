import { describe, expect, test } from "vitest";
import { originalKey, parseMediaKey, responsiveImage, variantsOf, variantWidths } from "./responsive-image.js";

const STEM = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("the media naming scheme", () => {
  test("widths are never upscaled: a narrow image gets its own width as the largest variant", () => {
    expect(variantWidths(4000)).toEqual([480, 800, 1200, 1600]);
    expect(variantWidths(1600)).toEqual([480, 800, 1200, 1600]);
    expect(variantWidths(1000)).toEqual([480, 800, 1000]);
    expect(variantWidths(300)).toEqual([300]);
  });

  test("variants keep the original's proportions, in WebP and JPEG", () => {
    expect(variantsOf({ stem: STEM, width: 1000, height: 750 })).toEqual([
      { key: `${STEM}-480w.webp`, width: 480, height: 360, contentType: "image/webp" },
      { key: `${STEM}-480w.jpg`, width: 480, height: 360, contentType: "image/jpeg" },
      { key: `${STEM}-800w.webp`, width: 800, height: 600, contentType: "image/webp" },
      { key: `${STEM}-800w.jpg`, width: 800, height: 600, contentType: "image/jpeg" },
      { key: `${STEM}-1000w.webp`, width: 1000, height: 750, contentType: "image/webp" },
      { key: `${STEM}-1000w.jpg`, width: 1000, height: 750, contentType: "image/jpeg" },
    ]);
  });

  test("a key parses back to what made it, and nothing else parses", () => {
    const key = originalKey({ stem: STEM, width: 2400, height: 1600, extension: "png" });
    expect(key).toBe(`${STEM}-2400x1600.png`);
    expect(parseMediaKey(key)).toEqual({ kind: "original", stem: STEM, width: 2400, height: 1600, extension: "png" });
    expect(parseMediaKey(`${STEM}-800w.webp`)).toEqual({ kind: "variant", stem: STEM, width: 800, extension: "webp" });
    for (const bad of [
      `../${STEM}-800w.webp`,
      `${STEM}-800w.webp/..`,
      `${STEM}-800w.png`,
      `${STEM}-2400x1600.svg`,
      `${STEM}-2400x1600.jpg.html`,
      `${STEM.toUpperCase()}-800w.webp`,
      `${STEM}-0800w.webp`,
      "..%2f..%2fetc%2fpasswd",
      `demo/${STEM}-800w.webp`,
      "",
    ]) {
      expect(parseMediaKey(bad), bad).toBeUndefined();
    }
  });

  test("an uploaded original's address gives srcsets, its size and a JPEG fallback; other addresses give nothing", () => {
    expect(responsiveImage(`/media/${STEM}-2000x1000.png`)).toEqual({
      width: 2000,
      height: 1000,
      src: { url: `/media/${STEM}-1600w.jpg`, width: 1600, height: 800 },
      webpSrcset: `/media/${STEM}-480w.webp 480w, /media/${STEM}-800w.webp 800w, /media/${STEM}-1200w.webp 1200w, /media/${STEM}-1600w.webp 1600w`,
      jpegSrcset: `/media/${STEM}-480w.jpg 480w, /media/${STEM}-800w.jpg 800w, /media/${STEM}-1200w.jpg 1200w, /media/${STEM}-1600w.jpg 1600w`,
    });
    expect(responsiveImage(`/media/${STEM}-800w.webp`)).toBeUndefined();
    expect(responsiveImage("/media/demo/harbour-1280.webp")).toBeUndefined();
    expect(responsiveImage(`https://elsewhere.example/media/${STEM}-2000x1000.png`)).toBeUndefined();
  });
});
