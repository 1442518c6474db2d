/**
 * Where image files live: a small interface of keys and bytes, so an S3-compatible store can stand in for the
 * disk later. Keys are made by the server (shared/responsive-image.ts) and checked against MEDIA_KEY_PATTERN
 * on every call, so no key reaches outside the store: no slashes, no "..", no name a client chose.
 */
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { MEDIA_KEY_PATTERN } from "../shared/responsive-image.js";

export type StoredFile = { body: Readable; size: number };

export type MediaStorage = {
  /** Stores the whole file or nothing: a reader never sees half of one. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Undefined when there is no such file, or the key is not one this store could have written. */
  get(key: string): Promise<StoredFile | undefined>;
  exists(key: string): Promise<boolean>;
  /** Deleting a file that is not there is not an error. */
  delete(key: string): Promise<void>;
};

export function isMediaKey(key: string): boolean {
  return MEDIA_KEY_PATTERN.test(key);
}

function checked(key: string): string {
  if (!isMediaKey(key)) throw new Error(`Not a media key: ${JSON.stringify(key)}`);
  return key;
}

/** Files in one flat folder (DATA_DIR/media), named by their keys. */
export function createDiskStorage(dir: string): MediaStorage {
  const pathOf = (key: string) => join(dir, checked(key));
  let isReady: Promise<unknown> | undefined;
  const ready = () => {
    isReady ??= mkdir(dir, { recursive: true });
    return isReady;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await ready();
      // Written beside its place and renamed: a rename within one folder is atomic.
      const temporary = join(dir, `.upload-${randomBytes(8).toString("hex")}.tmp`);
      try {
        await writeFile(temporary, body, { flag: "wx", mode: 0o644 });
        await rename(temporary, path);
      } catch (err) {
        await unlink(temporary).catch(() => {});
        throw err;
      }
    },
    async get(key) {
      if (!isMediaKey(key)) return undefined;
      const path = pathOf(key);
      try {
        const info = await stat(path);
        if (!info.isFile()) return undefined;
        return { body: createReadStream(path), size: info.size };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
    },
    async exists(key) {
      if (!isMediaKey(key)) return false;
      return stat(pathOf(key)).then(
        (info) => info.isFile(),
        () => false,
      );
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "ENOENT") throw err;
      });
    },
  };
}
