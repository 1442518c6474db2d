/**
 * Share images every platform shows: og:image and twitter:image are the 1200×630 card as JPEG or PNG, and every
 * article's JSON-LD has the 16:9, 4:3 and 1:1 crops Google asks for, each at least 1200 px wide; the bytes served
 * really are that size and type, and are cached for good.
 */

import { join } from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { createDiskStorage, uploadImage } from "../../src/media/index.js";
import { startApp, type TestApp } from "../support/app.js";

let app: TestApp;

beforeAll(async () => {
  app = await startApp({ template: "demo" });
});
afterAll(async () => app.close());

function jsonLd(html: string): Record<string, unknown>[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}
function meta(html: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:property|name)="${key.replace(/[:+]/g, "\\$&")}" content="([^"]*)"`);
  return re.exec(html)?.[1];
}

/** Every published article of the demo paper, from its sitemap. */
async function articlePaths(): Promise<string[]> {
  const index = await app.html("/sitemap.xml");
  const sitemaps = [...index.matchAll(/<loc>[^<]*(\/sitemap-articles-\d+\.xml)<\/loc>/g)].map((m) => m[1]!);
  const pages = await Promise.all(sitemaps.map((path) => app.html(path)));
  return pages.flatMap((xml) => [...xml.matchAll(/<loc>https?:\/\/[^/<]+(\/[^<]+)<\/loc>/g)].map((m) => m[1]!));
}

/** The image at an absolute address on this site, as served: its headers and what its bytes really are. */
async function served(url: string) {
  const res = await app.get(new URL(url).pathname);
  expect(res.status, url).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  const info = await sharp(bytes).metadata();
  return { res, info };
}

/** The newsroom's save of a published article with some fields changed, and the pages it refreshes. */
async function edit(id: string, changes: Partial<content.ArticleFields>) {
  const fields = await content.readArticleFields(app.db, id);
  const [row] = await queryRows<{ version: number }>(app.db, sql`SELECT version FROM articles WHERE id = ${id}`);
  const deps = { db: app.db, clock: app.built.clock };
  const result = await content.editArticle(deps, {
    id,
    baseVersion: row?.version ?? 0,
    fields: { ...fields, ...changes },
  });
  if (result.kind !== "saved") throw new Error("the edit was refused");
  await app.built.invalidator.invalidate(result.invalidates);
}

type ImageObject = { "@type": string; url: string; width: number; height: number };

// Each share image is cut or drawn the first time it is asked for: dozens take a while on a busy machine.
describe("share images", { timeout: 300_000 }, () => {
  test("every demo article's og:image and twitter:image is a 1200×630 JPEG or PNG with its size, type and alt", async () => {
    const paths = await articlePaths();
    expect(paths.length).toBeGreaterThan(30);
    const types = new Set<string>();
    for (const path of paths) {
      const html = await app.html(path);
      const image = meta(html, "og:image");
      expect(image, path).toBeTruthy();
      expect(meta(html, "twitter:image"), path).toBe(image);
      expect(meta(html, "twitter:card"), path).toBe("summary_large_image");
      expect([meta(html, "og:image:width"), meta(html, "og:image:height")], path).toEqual(["1200", "630"]);
      expect(meta(html, "og:image:alt"), path).toBeTruthy();
      expect(meta(html, "twitter:image:alt"), path).toBe(meta(html, "og:image:alt"));
      const type = meta(html, "og:image:type");
      expect(["image/jpeg", "image/png"], path).toContain(type);
      const { res, info } = await served(image!);
      expect(res.headers.get("content-type"), path).toBe(type);
      expect({ format: info.format, width: info.width, height: info.height }, path).toEqual({
        format: type === "image/png" ? "png" : "jpeg",
        width: 1200,
        height: 630,
      });
      types.add(type!);
    }
    // The demo has articles with pictures (cut to JPEG) and without (the drawn card).
    expect([...types].sort()).toEqual(["image/jpeg", "image/png"]);
  });

  test("every demo article's JSON-LD has 16:9, 4:3 and 1:1 images at least 1200 px wide, served as JPEG for good", async () => {
    const cropsByKind = new Map<string, ImageObject[]>();
    for (const path of await articlePaths()) {
      const html = await app.html(path);
      const images = (jsonLd(html)[0]?.image ?? []) as ImageObject[];
      expect(
        images.map((i) => i.width / i.height),
        path,
      ).toEqual([16 / 9, 4 / 3, 1]);
      for (const image of images) expect(image.width, path).toBeGreaterThanOrEqual(1200);
      // Cut from the picture (og:image a JPEG) or made from the card (a PNG): the bytes of one of each are checked.
      cropsByKind.set(meta(html, "og:image:type")!, images);
    }
    expect([...cropsByKind.keys()].sort()).toEqual(["image/jpeg", "image/png"]);
    for (const image of [...cropsByKind.values()].flat()) {
      const { res, info } = await served(image.url);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect({ format: info.format, width: info.width, height: info.height }, image.url).toEqual({
        format: "jpeg",
        width: image.width,
        height: image.height,
      });
    }
  });

  test("a new picture or headline gives new crop addresses; the old ones, and crops of no such size, are 404", async () => {
    const article = await app.make.article({ title: "Tram line reopens" });
    const path = `/${article.section.slug}/${article.slug}`;
    const cropPaths = async () =>
      ((jsonLd(await app.html(path))[0]?.image ?? []) as ImageObject[]).map((i) => new URL(i.url).pathname);
    const before = await cropPaths();
    expect(before).toHaveLength(3);
    expect((await app.get(before[0]!)).status).toBe(200);

    await edit(article.id, { title: "Tram line reopens after repairs" });
    const after = await cropPaths();
    for (const [i, old] of before.entries()) {
      expect(after[i]).not.toBe(old);
      expect((await app.get(old)).status, old).toBe(404);
    }
    const version = /\/([0-9a-f]{12})-/.exec(after[0]!)![1];
    for (const bad of [
      `/share/${article.slug}/${version}-1200x1000.jpg`,
      `/share/${article.slug}/${version}-1200x675.png`,
      `/share/${article.slug}/../../etc/passwd`,
      `/share/no-such-article/${version}-1200x675.jpg`,
      `/share/Bad_Slug/${version}-1200x675.jpg`,
    ]) {
      expect((await app.get(bad)).status, bad).toBe(404);
    }
  });

  test("an uploaded picture is cut to the card and the three crops, from the file in the media store", async () => {
    const article = await app.make.article({ title: "Harbour cranes replaced" });
    const storage = createDiskStorage(join(app.dataDir, "media"));
    const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: "#3a6ea5" } })
      .jpeg()
      .toBuffer();
    const media = { db: app.db, clock: app.built.clock, storage };
    const image = await uploadImage(media, { bytes: photo, originalName: "cranes.jpg", by: article.author.id });
    await edit(article.id, { featureImage: { url: image.url, alt: "Two new cranes on the quay" } });
    const html = await app.html(`/${article.section.slug}/${article.slug}`);
    expect(meta(html, "og:image:type")).toBe("image/jpeg");
    expect(meta(html, "og:image:alt")).toBe("Two new cranes on the quay");
    const urls = [meta(html, "og:image")!, ...((jsonLd(html)[0]?.image ?? []) as ImageObject[]).map((i) => i.url)];
    const sizes = [];
    for (const url of urls) {
      const { info } = await served(url);
      sizes.push([info.format, info.width, info.height]);
    }
    expect(sizes).toEqual([
      ["jpeg", 1200, 630],
      ["jpeg", 1200, 675],
      ["jpeg", 1200, 900],
      ["jpeg", 1200, 1200],
    ]);
  });
});
