/**
 * The files behind picture addresses, for feeds (sizes for enclosures) and share images (bytes to crop): uploads
 * through the storage, demo pictures from their folder. Never fetches a URL: any other address is undefined.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { LRUCache } from "lru-cache";
import type { CropPicture, PictureFile, PictureFiles } from "../shared/picture-files.js";
import { MEDIA_PREFIX } from "../shared/responsive-image.js";
import type { MediaStorage } from "./storage.js";

const DEMO_PREFIX = `${MEDIA_PREFIX}demo/`;
/** The demo pictures' names (`<slug>-1280.webp`): one flat folder, no dots but the extension's. */
const DEMO_NAME = /^[a-z0-9-]{1,200}\.webp$/;

const TYPES: Record<string, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  heif: "image/avif",
};

async function streamBytes(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createPictureFiles(deps: { storage: MediaStorage; demoDir: string }): PictureFiles {
  // An address names one file's content for good (uploads get new ids; demo pictures ship with the code).
  const described = new LRUCache<string, PictureFile>({ max: 10_000 });

  const read = async (url: string): Promise<Buffer | undefined> => {
    if (url.startsWith(DEMO_PREFIX)) {
      const name = url.slice(DEMO_PREFIX.length);
      if (!DEMO_NAME.test(name)) return undefined;
      return readFile(join(deps.demoDir, name)).catch((err: NodeJS.ErrnoException) => {
        if (err.code === "ENOENT") return undefined;
        throw err;
      });
    }
    if (!url.startsWith(MEDIA_PREFIX)) return undefined;
    const file = await deps.storage.get(url.slice(MEDIA_PREFIX.length));
    return file && streamBytes(file.body);
  };

  return {
    read,
    async describe(url) {
      const known = described.get(url);
      if (known) return known;
      const bytes = await read(url);
      if (!bytes) return undefined;
      const { default: sharp } = await import("sharp");
      const meta = await sharp(bytes).metadata();
      const contentType = TYPES[meta.format];
      if (!contentType || !meta.width || !meta.height) return undefined;
      const file = { bytes: bytes.length, width: meta.width, height: meta.height, contentType };
      described.set(url, file);
      return file;
    },
  };
}

export const cropPicture: CropPicture = async (source, target) => {
  const { default: sharp } = await import("sharp");
  return sharp(source, { failOn: "warning", pages: 1 })
    .resize(target.width, target.height, {
      fit: target.fit,
      position: target.fit === "cover" ? "attention" : "centre",
      background: target.background,
    })
    .flatten({ background: target.background })
    .jpeg({ quality: 82, progressive: true })
    .toBuffer();
};
