import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { DEMO_IMAGES_DIR, demoPictures, demoPortraits } from "./demo-images.js";
import { DRAWN_FROM_FILE, drawingHash, drawingOf, portraitDrawingOf } from "./draw-demo-images.js";

describe("the demo's shipped pictures", () => {
  test("every demo article with a picture and every demo author has their files shipped, and nothing else is", () => {
    const expected = [
      ...demoPictures().flatMap((picture) => picture.files),
      ...demoPortraits().flatMap((p) => p.files),
    ];
    const shipped = readdirSync(DEMO_IMAGES_DIR).filter((file) => file !== DRAWN_FROM_FILE);
    expect(shipped.sort()).toEqual([...expected].sort());
  });

  test("each shipped picture was drawn from today's illustration (else: npm run demo:images)", () => {
    const recorded: Record<string, string> = JSON.parse(readFileSync(join(DEMO_IMAGES_DIR, DRAWN_FROM_FILE), "utf8"));
    const today = Object.fromEntries([
      ...demoPictures().map((p) => [p.slug, drawingHash(drawingOf(p))]),
      ...demoPortraits().map((p) => [`author-${p.slug}`, drawingHash(portraitDrawingOf(p.slug))]),
    ]);
    expect(recorded).toEqual(today);
  });
});
