/** Draws the shipped demo pictures (scripts/draw-demo-images.mjs); never run by the server. */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  DEMO_IMAGE_WIDTHS,
  DEMO_PORTRAIT_WIDTHS,
  type DemoPicture,
  demoPictures,
  demoPortraits,
} from "./demo-images.js";
import { renderIllustrationSvg } from "./illustrations.js";
import { DEMO_PORTRAITS, renderPortraitSvg } from "./portraits.js";

/** Records which drawing each shipped picture was made from, so a changed illustration is noticed. */
export const DRAWN_FROM_FILE = "drawn-from.json";

export function drawingOf(picture: DemoPicture): string {
  return renderIllustrationSvg(picture.image.motif, picture.slug);
}

/** An author's portrait, keyed in the record as `author-<slug>`. */
export function portraitDrawingOf(slug: string): string {
  const look = DEMO_PORTRAITS[slug];
  if (!look) throw new Error(`no portrait drawn for the demo author ${slug}`);
  return renderPortraitSvg(look);
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
  for (const portrait of demoPortraits()) {
    const svg = portraitDrawingOf(portrait.slug);
    for (const [i, width] of DEMO_PORTRAIT_WIDTHS.entries()) {
      const webp = await sharp(Buffer.from(svg)).resize({ width }).webp({ quality: 80 }).toBuffer();
      await writeFile(join(dir, portrait.files[i]!), webp);
    }
    drawnFrom[`author-${portrait.slug}`] = drawingHash(svg);
  }
  await writeFile(join(dir, DRAWN_FROM_FILE), `${JSON.stringify(drawnFrom, null, 2)}\n`);
  return pictures.length + demoPortraits().length;
}
