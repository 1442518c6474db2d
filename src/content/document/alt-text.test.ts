import { describe, expect, test } from "vitest";
import { AppError } from "../../shared/errors.js";
import { listImagesWithoutAlt, requireAltText } from "./alt-text.js";
import { parseDocument } from "./parse-document.js";

const image = (src: string, alt?: string) => ({ type: "image", attrs: { src, ...(alt === undefined ? {} : { alt }) } });
const doc = (...content: object[]) => parseDocument({ type: "doc", content });

describe("alt text before publishing", () => {
  test("names the feature image and every body image without alt text, nested ones too, in reading order", () => {
    const body = doc(
      image("/a.jpg", "A quay"),
      image("/b.jpg"),
      { type: "blockquote", content: [image("/c.jpg", "   ")] },
      { type: "bulletList", content: [{ type: "listItem", content: [image("/d.jpg", "Described")] }] },
    );
    expect(listImagesWithoutAlt(body, { url: "/f.jpg", alt: "" })).toEqual([
      "the feature image",
      "body image 2 (/b.jpg)",
      "body image 3 (/c.jpg)",
    ]);
    expect(listImagesWithoutAlt(body, undefined)).toEqual(["body image 2 (/b.jpg)", "body image 3 (/c.jpg)"]);
  });

  test("a described article passes; otherwise a 400 says what to describe", () => {
    expect(() => requireAltText(doc(image("/a.jpg", "A quay")), { url: "/f.jpg", alt: "Harbour" })).not.toThrow();
    expect(() => requireAltText(doc(), undefined)).not.toThrow();
    let caught: unknown;
    try {
      requireAltText(doc(image("/b.jpg")), { url: "/f.jpg", alt: null });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({
      status: 400,
      code: "ALT_TEXT_REQUIRED",
      property: "featureImage.alt",
      message: "Add alt text before publishing: the feature image and body image 1 (/b.jpg) have none",
    });
  });
});
