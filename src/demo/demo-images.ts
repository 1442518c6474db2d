/**
 * The demo articles' pictures. They are the same for every install, so they are drawn once from the SVG
 * illustrations (`npm run demo:images`, draw-demo-images.ts) and shipped in src/demo/images; seeding copies
 * them into DATA_DIR/media/demo instead of drawing 50 WebP files on every first start.
 */
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fromCodeRoot } from "../shared/code-root.js";
import { slugify } from "../shared/slug.js";
import { demoArticles } from "./articles.js";
import type { DemoImage } from "./demo-types.js";
import { demoAuthors } from "./demo-world.js";

export const DEMO_IMAGES_DIR = fromCodeRoot("../src/demo/images/");
// 400 for thumbnails and narrow columns (and their 2× copies), 800 for a phone's full-width lead at 2×, 1280 above.
export const DEMO_IMAGE_WIDTHS = [400, 800, 1280] as const;

export type DemoPicture = { slug: string; image: DemoImage; files: string[] };

/** Every demo article's picture and the names of its files. */
export function demoPictures(): DemoPicture[] {
  return demoArticles.flatMap((demo) => {
    if (!demo.image) return [];
    const slug = slugify(demo.title);
    return [{ slug, image: demo.image, files: DEMO_IMAGE_WIDTHS.map((width) => `${slug}-${width}.webp`) }];
  });
}

/** The address the seeded article gives its feature image (pages derive the 400 and 800 wide ones from it). */
export function demoImageUrl(slug: string): string {
  return `/media/demo/${slug}-1280.webp`;
}

/** The demo staff's photos, square: 160 px for the small faces beside headlines, 400 for the author page's. */
export const DEMO_PORTRAIT_WIDTHS = [160, 400] as const;

export function demoPortraits(): { slug: string; files: string[] }[] {
  return demoAuthors.map((author) => ({
    slug: author.slug,
    files: DEMO_PORTRAIT_WIDTHS.map((width) => `author-${author.slug}-${width}.webp`),
  }));
}

export function demoPortraitUrl(slug: string): string {
  return `/media/demo/author-${slug}-400.webp`;
}

/** Copies the shipped pictures into the media folder, where `/media/demo/` serves them. */
export async function copyDemoImages(mediaDir: string): Promise<void> {
  const dir = join(mediaDir, "demo");
  await mkdir(dir, { recursive: true });
  const files = [...demoPictures().flatMap((picture) => picture.files), ...demoPortraits().flatMap((p) => p.files)];
  await Promise.all(files.map((file) => copyFile(join(DEMO_IMAGES_DIR, file), join(dir, file))));
}
