import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DEMO_IMAGES_DIR, demoPictures } from "./demo-images.js";
import { DRAWN_FROM_FILE, drawingHash, drawingOf } from "./draw-demo-images.js";

describe("the demo's shipped pictures", () => {
  test("every demo article with a picture has its files shipped, and nothing else is shipped", () => {
    const expected = demoPictures().flatMap((picture) => picture.files);
    const shipped = readdirSync(DEMO_IMAGES_DIR).filter((file) => file !== DRAWN_FROM_FILE);
    expect(shipped.sort()).toEqual([...expected].sort());
  });

  test("each shipped picture was drawn from today's illustration (else: npm run demo:images)", () => {
    const recorded: Record<string, string> = JSON.parse(readFileSync(join(DEMO_IMAGES_DIR, DRAWN_FROM_FILE), "utf8"));
    const today = Object.fromEntries(demoPictures().map((p) => [p.slug, drawingHash(drawingOf(p))]));
    expect(recorded).toEqual(today);
  });
});
