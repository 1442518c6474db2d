import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createDiskStorage, type MediaStorage } from "./storage.js";

const KEY = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b-800w.webp";

describe("disk storage", () => {
  let root: string;
  let storage: MediaStorage;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "broadsheet-media-"));
    storage = createDiskStorage(join(root, "media"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("a file put under a key reads back, exists, and is gone after delete, leaving no temporary file", async () => {
    await storage.put(KEY, Buffer.from("image bytes"), "image/webp");
    const file = await storage.get(KEY);
    expect(file?.size).toBe(11);
    expect(await text(file!.body)).toBe("image bytes");
    expect(await storage.exists(KEY)).toBe(true);
    expect(readdirSync(join(root, "media"))).toEqual([KEY]);
    await storage.delete(KEY);
    await storage.delete(KEY);
    expect(await storage.exists(KEY)).toBe(false);
    expect(await storage.get(KEY)).toBeUndefined();
  });

  test("names outside the key pattern are never read or written, even when such a file exists", async () => {
    writeFileSync(join(root, "secret.txt"), "secret");
    mkdirSync(join(root, "media"), { recursive: true });
    writeFileSync(join(root, "media", "notes.txt"), "notes");
    for (const key of ["../secret.txt", "notes.txt", `../media/${KEY}`, `${KEY}/../../secret.txt`]) {
      expect(await storage.get(key), key).toBeUndefined();
      expect(await storage.exists(key), key).toBe(false);
      await expect(storage.put(key, Buffer.from("x"), "image/webp"), key).rejects.toThrow(/Not a media key/);
      await expect(storage.delete(key), key).rejects.toThrow(/Not a media key/);
    }
  });
});
