import { describe, expect, it } from "vitest";
import type { Format } from "./query-options.js";
import { bodyPartsFor } from "./resources.js";

const wants = (formats: Format[], fields: string[] = []) => ({ formats: new Set(formats), fields: new Set(fields) });

describe("the body parts a post's answer needs", () => {
  it("reads the HTML for html and reading_time, and the text only where an excerpt is made from it", () => {
    expect(bodyPartsFor(wants(["html"]))).toEqual({ html: true, text: "undekked" });
    expect(bodyPartsFor(wants(["html", "plaintext"]))).toEqual({ html: true, text: "all" });
    expect(bodyPartsFor(wants(["plaintext"]))).toEqual({ html: true, text: "all" });
  });

  it("reads nothing of the body when fields leave out everything made from it", () => {
    expect(bodyPartsFor(wants(["html"], ["id", "title"]))).toEqual({ html: false, text: "none" });
    expect(bodyPartsFor(wants(["html", "plaintext"], ["title", "url"]))).toEqual({ html: false, text: "none" });
  });

  it("reads each part a narrowed answer still shows", () => {
    expect(bodyPartsFor(wants(["html"], ["title", "html"]))).toEqual({ html: true, text: "none" });
    expect(bodyPartsFor(wants(["plaintext"], ["html"]))).toEqual({ html: false, text: "none" });
    expect(bodyPartsFor(wants(["html"], ["reading_time"]))).toEqual({ html: true, text: "none" });
    expect(bodyPartsFor(wants(["html"], ["excerpt"]))).toEqual({ html: false, text: "undekked" });
    expect(bodyPartsFor(wants(["plaintext"], ["plaintext"]))).toEqual({ html: false, text: "all" });
  });
});
