/**
 * The addresses of an article's share images: the 1200×630 card that Open Graph and X show, and the 16:9, 4:3
 * and 1:1 crops Google asks of a news article's structured data, all 1200 px wide, all JPEG. Cut from the
 * article's picture, or made from the share card when it has none. An address carries a hash of what the image
 * is made from, so each can be cached for good: a new picture or headline is a new address.
 */
import { createHash } from "node:crypto";
import type { ArticleKind, SiteSettings } from "../content/index.js";
import { SHARE_IMAGE_HEIGHT, SHARE_IMAGE_WIDTH } from "./share-image.js";

export type ShareCrop = { name: "card" | "16x9" | "4x3" | "1x1"; width: number; height: number };

export const SHARE_CROPS: readonly ShareCrop[] = [
  { name: "card", width: SHARE_IMAGE_WIDTH, height: SHARE_IMAGE_HEIGHT },
  { name: "16x9", width: 1200, height: 675 },
  { name: "4x3", width: 1200, height: 900 },
  { name: "1x1", width: 1200, height: 1200 },
];

/** What an article's share images are made from. */
export type ShareSource = {
  slug: string;
  title: string;
  kind: ArticleKind;
  section: { name: string };
  image: { url: string } | null;
};

export type ShareImage = { url: string; width: number; height: number; contentType: "image/jpeg" };

const FILE = /^([0-9a-f]{12})-([1-9][0-9]{2,3})x([1-9][0-9]{2,3})\.jpg$/;

/** A hash of everything the image shows: the picture, or the card's words and colours. */
function versionOf(source: ShareSource, settings: SiteSettings): string {
  const made = source.image
    ? ["picture", source.image.url]
    : ["card", source.title, source.kind, source.section.name, settings.title, settings.accentColor];
  return createHash("sha256").update(JSON.stringify(made)).digest("hex").slice(0, 12);
}

export function shareImageOf(source: ShareSource, settings: SiteSettings, crop: ShareCrop): ShareImage {
  const file = `${versionOf(source, settings)}-${crop.width}x${crop.height}.jpg`;
  return { url: `/share/${source.slug}/${file}`, width: crop.width, height: crop.height, contentType: "image/jpeg" };
}

/** The crop a file name under `/share/<slug>/` asks for, if it is one of ours and of the article as it is now. */
export function shareCropOf(file: string, source: ShareSource, settings: SiteSettings): ShareCrop | undefined {
  const m = FILE.exec(file);
  if (!m || m[1] !== versionOf(source, settings)) return undefined;
  return SHARE_CROPS.find((c) => c.width === Number(m[2]) && c.height === Number(m[3]));
}

/** Whether a name could be a share image's at all, checked before anything is read. */
export function isShareFileName(file: string): boolean {
  return FILE.test(file);
}
