/** Draws the shipped demo pictures (scripts/draw-demo-images.mjs); never run by the server. */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_IMAGE_WIDTHS, type DemoPicture, demoPictures } from "./demo-images.js";
import { renderIllustrationSvg } from "./illustrations.js";

/** Records which drawing each shipped picture was made from, so a changed illustration is noticed. */
export const DRAWN_FROM_FILE = "drawn-from.json";

export function drawingOf(picture: DemoPicture): string {
  return renderIllustrationSvg(picture.image.motif, picture.slug);
}

export function drawingHash(svg: string): string {
  return createHash("sha256").update(svg).digest("hex").slice(0, 16);
}

/** Draws every picture into `dir` with sharp, with the record of what each was drawn from. */
export async function drawDemoImages(dir: string): Promise<number> {
  const { default: sharp } = await import("sharp");
  await mkdir(dir, { recursive: true });
  const drawnFrom: Record<string, string> = {};
  const pictures = demoPictures();
  for (const picture of pictures) {
    const svg = drawingOf(picture);
    for (const [i, width] of DEMO_IMAGE_WIDTHS.entries()) {
      const webp = await sharp(Buffer.from(svg)).resize({ width }).webp({ quality: 78 }).toBuffer();
      await writeFile(join(dir, picture.files[i]!), webp);
    }
    drawnFrom[picture.slug] = drawingHash(svg);
  }
  await writeFile(join(dir, DRAWN_FROM_FILE), `${JSON.stringify(drawnFrom, null, 2)}\n`);
  return pictures.length;
}
