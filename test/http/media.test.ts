/**
 * The media library over HTTP, against the real app and database: uploads become clean files on disk and one
 * row each; refused uploads leave neither; files are served with fixed types and nothing outside the media
 * folder is reachable; images need alt text to be published, and the reader site offers their variants.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { htmlValidator } from "../support/html-validator.js";
import { api, type StaffAccount, signedInStaff, uploadFile } from "../support/newsroom.js";

type ImageView = {
  id: string;
  url: string;
  contentType: string;
  format: string;
  width: number;
  height: number;
  originalName: string;
  alt: string;
  caption: string;
  credit: string;
  variants: { url: string; width: number; height: number; contentType: string }[];
  srcset: { webp: string; jpeg: string };
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A 1300×900 JPEG whose EXIF names its photographer and where it was taken. */
function photo(background = "#2a6f97"): Promise<Buffer> {
  return sharp({ create: { width: 1300, height: 900, channels: 3, background } })
    .jpeg({ quality: 70 })
    .withExif({
      IFD0: { Artist: "Secret Photographer", Copyright: "Home address 12 Quay Lane" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 12/1" },
    })
    .toBuffer();
}

function smallPng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 4, background: "#e9c46a" } })
    .png()
    .toBuffer();
}

/**
 * A real 20000×20000 PNG (400 megapixels, over a gigabyte decoded) in about 50 KB: 1-bit greyscale rows of
 * zeros. Written by hand because having sharp encode 400 megapixels takes several seconds.
 */
function pixelBombPng(size = 20_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(size / 8)) * size);
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A GET whose path reaches the server exactly as written (fetch would resolve the dots first). */
function rawGet(app: TestApp, path: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each(databaseKinds())("the media library on %s", (kind) => {
  let app: TestApp;
  let contributor: StaffAccount;
  let author: StaffAccount;
  const clock = fixedClock(new Date("2031-03-01T08:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    contributor = await signedInStaff(app, "contributor");
    author = await signedInStaff(app, "author");
  });
  afterAll(() => app.close());

  const mediaDir = () => join(app.dataDir, "media");
  const storedFiles = () => (existsSync(mediaDir()) ? readdirSync(mediaDir()).filter((f) => f !== "demo") : []);
  const rowCount = async () =>
    Number((await queryRows<{ n: number }>(app.db, sql`SELECT count(*) AS n FROM media_images`))[0]!.n);

  async function upload(as: StaffAccount, file: { bytes: Uint8Array; name: string; type?: string }) {
    clock.advance(1000);
    const res = await uploadFile(app, as.cookie, file);
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { image: ImageView }).image;
  }

  test("an uploaded JPEG is stored re-encoded with its variants, typed by content, with no EXIF or GPS", async () => {
    const image = await upload(contributor, { bytes: await photo(), name: "IMG_0042 (copy).jpg", type: "image/jpeg" });
    expect(image).toMatchObject({ format: "jpeg", contentType: "image/jpeg", width: 1300, height: 900 });
    expect(image.originalName).toBe("IMG_0042 (copy).jpg");
    expect(image.url).toMatch(new RegExp(`^/media/${image.id}-1300x900\\.jpg$`));
    expect(image.variants.map((v) => [v.url.replace(`/media/${image.id}-`, ""), v.height])).toEqual([
      ["480w.webp", 332],
      ["480w.jpg", 332],
      ["800w.webp", 554],
      ["800w.jpg", 554],
      ["1200w.webp", 831],
      ["1200w.jpg", 831],
      ["1300w.webp", 900],
      ["1300w.jpg", 900],
    ]);
    expect(image.srcset.webp).toBe([480, 800, 1200, 1300].map((w) => `/media/${image.id}-${w}w.webp ${w}w`).join(", "));

    const expected = [image.url, ...image.variants.map((v) => v.url)].map((u) => u.slice("/media/".length));
    const mine = storedFiles().filter((f) => f.startsWith(image.id));
    expect(mine.sort()).toEqual([...expected].sort());
    for (const name of mine) {
      const bytes = readFileSync(join(mediaDir(), name));
      const meta = await sharp(bytes).metadata();
      expect(meta.format, name).toBe(name.endsWith(".webp") ? "webp" : "jpeg");
      expect(meta.exif, name).toBeUndefined();
      expect(bytes.includes("Secret Photographer"), name).toBe(false);
      expect(bytes.includes("Quay Lane"), name).toBe(false);
    }
    const variant = image.variants.find((v) => v.url.endsWith("-800w.webp"))!;
    const meta = await sharp(readFileSync(join(mediaDir(), variant.url.slice(7)))).metadata();
    expect({ width: meta.width, height: meta.height }).toEqual({ width: 800, height: 554 });
  });

  test("the name and declared type are ignored: a PNG sent as page.php, text/html, is stored as a PNG", async () => {
    const image = await upload(author, { bytes: await smallPng(), name: "../../page.php", type: "text/html" });
    expect(image).toMatchObject({ format: "png", contentType: "image/png", width: 64, height: 48 });
    expect(image.originalName).toBe("page.php");
    expect(storedFiles().filter((f) => f.includes("page") || f.includes("php"))).toEqual([]);
    const served = await app.get(image.url);
    expect(served.headers.get("content-type")).toBe("image/png");
  });

  test("files are served with their type, nosniff and a year of immutable caching", async () => {
    const image = await upload(contributor, { bytes: await photo("#8338ec"), name: "purple.jpg" });
    const original = await app.get(image.url);
    expect(original.status).toBe(200);
    expect(original.headers.get("content-type")).toBe("image/jpeg");
    expect(original.headers.get("x-content-type-options")).toBe("nosniff");
    expect(original.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = Buffer.from(await original.arrayBuffer());
    expect(body.equals(readFileSync(join(mediaDir(), image.url.slice(7))))).toBe(true);
    const head = await app.get(image.url, { method: "HEAD" });
    expect([head.status, head.headers.get("content-type"), head.headers.get("content-length")]).toEqual([
      200,
      "image/jpeg",
      String(body.length),
    ]);
    const webp = await app.get(image.variants[0]!.url);
    expect(webp.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await webp.arrayBuffer())).metadata()).format).toBe("webp");
  });

  describe("refused uploads store nothing", () => {
    const refusals: [string, () => Promise<{ bytes: Uint8Array; name: string; type: string }>, number, string][] = [
      [
        "a text file named .jpg",
        async () => ({ bytes: Buffer.from("Not a picture at all.\n"), name: "photo.jpg", type: "image/jpeg" }),
        415,
        "NOT_AN_IMAGE",
      ],
      [
        "an SVG with a script",
        async () => ({
          bytes: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
          ),
          name: "chart.png",
          type: "image/png",
        }),
        415,
        "SVG_NOT_ACCEPTED",
      ],
      [
        "a 25 MB file (UPLOAD_MAX_MB is 20)",
        async () => {
          const bytes = Buffer.alloc(25 * 1024 * 1024, 7);
          (await smallPng()).copy(bytes);
          return { bytes, name: "huge.png", type: "image/png" };
        },
        413,
        "FILE_TOO_LARGE",
      ],
      [
        "a 20000×20000 PNG (a decompression bomb)",
        async () => ({ bytes: pixelBombPng(), name: "bomb.png", type: "image/png" }),
        413,
        "IMAGE_TOO_LARGE",
      ],
    ];

    test.each(refusals)("%s", async (_what, make, status, code) => {
      const file = await make();
      const [filesBefore, rowsBefore] = [storedFiles(), await rowCount()];
      const res = await uploadFile(app, contributor.cookie, file);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { errors: { code: string; message: string; property: string | null }[] };
      expect(body.errors[0]).toMatchObject({ code, property: "file" });
      expect(body.errors[0]!.message.length).toBeGreaterThan(10);
      expect(storedFiles()).toEqual(filesBefore);
      expect(storedFiles().filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect(await rowCount()).toBe(rowsBefore);
    });

    test("the pixel bomb really claims 20000×20000 pixels", async () => {
      const meta = await sharp(pixelBombPng(), { limitInputPixels: false }).metadata();
      expect({ width: meta.width, height: meta.height, format: meta.format }).toEqual({
        width: 20_000,
        height: 20_000,
        format: "png",
      });
    });

    test("no file, a file in another field, two files, JSON, no session and another site are all refused", async () => {
      const [filesBefore, rowsBefore] = [storedFiles(), await rowCount()];
      const png = { bytes: await smallPng(), name: "a.png", type: "image/png" };
      const empty = await app.get("/admin/api/media", {
        method: "POST",
        headers: { origin: app.url, cookie: contributor.cookie },
        body: new FormData(),
      });
      expect(empty.status).toBe(400);
      const wrongField = await uploadFile(app, contributor.cookie, { ...png, field: "picture" });
      expect([wrongField.status, (await wrongField.json()).errors[0].code]).toEqual([400, "ONE_FILE_ONLY"]);
      const two = await uploadFile(app, contributor.cookie, png, { extra: { field: "file", ...png } });
      expect([two.status, (await two.json()).errors[0].code]).toEqual([400, "ONE_FILE_ONLY"]);
      const json = await api(app, "POST", "/admin/api/media", { cookie: contributor.cookie, body: { url: "x" } });
      expect([json.status, (await json.json()).errors[0].code]).toEqual([415, "MULTIPART_REQUIRED"]);
      expect((await uploadFile(app, undefined, png)).status).toBe(401);
      const crossSite = await uploadFile(app, contributor.cookie, png, {
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      });
      expect(crossSite.status).toBe(403);
      // Another route that takes JSON still refuses multipart.
      const form = new FormData();
      form.append("name", "Desk");
      const section = await app.get("/admin/api/sections", {
        method: "POST",
        headers: { origin: app.url, cookie: contributor.cookie },
        body: form,
      });
      expect(section.status).toBe(415);
      expect(storedFiles()).toEqual(filesBefore);
      expect(await rowCount()).toBe(rowsBefore);
    });
  });

  test("only stored names are served: traversal and anything off the key pattern is 404 (a NUL is 400)", async () => {
    writeFileSync(join(mediaDir(), "notes.txt"), "not for readers");
    const image = await upload(contributor, { bytes: await smallPng(), name: "x.png" });
    const secret = readFileSync(join(app.dataDir, "session-secret"), "utf8").trim();
    const key = image.url.slice("/media/".length);
    for (const path of [
      "/media/..%2f..%2fetc%2fpasswd",
      "/media/..%2fsession-secret",
      "/media/%2e%2e%2fsession-secret",
      "/media/../session-secret",
      "/media/..%5csession-secret",
      "/media/notes.txt",
      `/media/${key}%00.html`,
      `/media/${key}/..%2f..%2fsession-secret`,
      `/media/${image.id}-9999w.webp`,
      `/media/${image.id.toUpperCase()}-64x48.png`,
      "/media/",
    ]) {
      const res = await rawGet(app, path);
      // A NUL in the address is refused before routing, as everywhere: 400 naming it.
      const expected = path.includes("%00") ? 400 : 404;
      expect({ path, status: res.status }).toEqual({ path, status: expected });
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain("not for readers");
      expect(res.body).not.toContain("root:");
    }
    expect((await rawGet(app, `/media/${key}`)).status).toBe(200);
  });

  test("the library lists newest first, searches alt, caption, credit and file name, and pages", async () => {
    const tag = `lib${kind}`;
    const ids: string[] = [];
    for (const name of [`${tag}-harbour.png`, `${tag}-market.png`, `${tag}-ferry.png`]) {
      ids.push((await upload(contributor, { bytes: await smallPng(), name })).id);
    }
    const list = async (query: string) => {
      const res = await api(app, "GET", `/admin/api/media?${query}`, { cookie: contributor.cookie });
      expect(res.status).toBe(200);
      return (await res.json()) as { images: ImageView[]; meta: { total: number; pages: number } };
    };
    expect((await list(`q=${tag}`)).images.map((i) => i.id)).toEqual([...ids].reverse());
    const paged = await list(`q=${tag}&perPage=2&page=2`);
    expect(paged.images.map((i) => i.id)).toEqual([ids[0]]);
    expect(paged.meta).toMatchObject({ total: 3, pages: 2 });
    expect((await list(`q=${tag}-MARKET`)).images.map((i) => i.id)).toEqual([ids[1]]);

    const patched = await api(app, "PATCH", `/admin/api/media/${ids[2]}`, {
      cookie: contributor.cookie,
      body: { alt: "  A ferry leaves the quay at dusk  ", caption: "Last sailing", credit: "Photo: R. Vale" },
    });
    expect(patched.status).toBe(200);
    expect((await patched.json()).image).toMatchObject({
      alt: "A ferry leaves the quay at dusk",
      caption: "Last sailing",
      credit: "Photo: R. Vale",
    });
    expect((await list("q=quay at dusk")).images.map((i) => i.id)).toEqual([ids[2]]);
    expect((await list("q=last sailing")).images.map((i) => i.id)).toEqual([ids[2]]);
    expect((await list("q=R. Vale")).images.map((i) => i.id)).toEqual([ids[2]]);
    expect((await list("q=100%25")).images).toEqual([]);
    const one = await api(app, "GET", `/admin/api/media/${ids[2]}`, { cookie: contributor.cookie });
    expect((await one.json()).image.alt).toBe("A ferry leaves the quay at dusk");
  });

  test("describing an image is validated: lengths, unknown fields, an empty change, unknown ids", async () => {
    const image = await upload(contributor, { bytes: await smallPng(), name: "v.png" });
    const patch = (body: unknown, id = image.id) =>
      api(app, "PATCH", `/admin/api/media/${id}`, { cookie: contributor.cookie, body });
    const tooLong = await patch({ alt: "x".repeat(501) });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).errors[0].property).toBe("alt");
    expect((await patch({ caption: "y".repeat(1001) })).status).toBe(400);
    expect((await patch({ credit: "z".repeat(301) })).status).toBe(400);
    expect((await patch({ alt: "ok", url: "/etc/passwd" })).status).toBe(400);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ alt: 42 })).status).toBe(400);
    expect((await patch({ alt: "ok" }, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await patch({ alt: "ok" }, "not-an-id")).status).toBe(400);
    expect((await api(app, "GET", "/admin/api/media?perPage=500", { cookie: contributor.cookie })).status).toBe(400);
    const unchanged = await api(app, "GET", `/admin/api/media/${image.id}`, { cookie: contributor.cookie });
    expect((await unchanged.json()).image.alt).toBe("");
  });

  test("the OpenAPI document describes the media routes", async () => {
    const doc = await (await api(app, "GET", "/admin/api/openapi.json", { cookie: contributor.cookie })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/admin/api/media", "/admin/api/media/{id}"]));
    expect(doc.paths["/admin/api/media"].post.requestBody.content).toHaveProperty("multipart/form-data");
    const image = doc.paths["/admin/api/media/{id}"].patch.responses["200"].content["application/json"].schema;
    expect(image.properties.image).toEqual({ $ref: "#/components/schemas/MediaImage" });
    expect(Object.keys(doc.components.schemas.MediaImage.properties)).toEqual(
      expect.arrayContaining(["url", "width", "height", "alt", "variants", "srcset"]),
    );
  });

  describe("publishing", () => {
    async function draftWith(image: ImageView, alts: { body: string; feature: string }) {
      const section = await app.make.section();
      const res = await api(app, "POST", "/admin/api/articles", {
        cookie: author.cookie,
        body: {
          title: `Quay at dawn ${kind} ${Math.random()}`,
          kind: "news",
          sectionId: section.id,
          authorIds: [author.id],
          featureImage: { url: image.url, alt: alts.feature },
          body: {
            type: "doc",
            content: [
              { type: "paragraph", content: [{ type: "text", text: "The first boats left at five." }] },
              { type: "image", attrs: { src: image.url, alt: alts.body, caption: "The quay" } },
            ],
          },
        },
      });
      expect(res.status).toBe(201);
      return (await res.json()).article as {
        id: string;
        slug: string;
        version: number;
        section: { slug: string };
        fields: Record<string, unknown>;
      };
    }
    const publish = (id: string, body: object = {}) =>
      api(app, "POST", `/admin/api/articles/${id}/publish`, { cookie: author.cookie, body });

    test("an image without alt text blocks publishing and scheduling, naming what is missing", async () => {
      const image = await upload(author, { bytes: await photo(), name: "quay.jpg" });
      const article = await draftWith(image, { body: "", feature: " " });
      for (const body of [{}, { at: "2031-04-01T08:00:00Z" }]) {
        const res = await publish(article.id, body);
        expect(res.status).toBe(400);
        const error = (await res.json()).errors[0];
        expect(error).toMatchObject({ code: "ALT_TEXT_REQUIRED", property: "featureImage.alt" });
        expect(error.message).toBe(
          `Add alt text before publishing: the feature image and body image 1 (${image.url}) have none`,
        );
      }
      const [row] = await queryRows<{ status: string }>(
        app.db,
        sql`SELECT status FROM articles WHERE id = ${article.id}`,
      );
      expect(row!.status).toBe("draft");
    });

    test("a described article publishes; its page offers the variants with their size; alt cannot then be removed", async () => {
      const image = await upload(author, { bytes: await photo("#264653"), name: "quay.jpg" });
      const article = await draftWith(image, {
        body: "Fishing boats tied up at the quay",
        feature: "The quay at dawn",
      });
      expect((await publish(article.id)).status).toBe(200);

      const html = await app.html(`/${article.section.slug}/${article.slug}`);
      const webp = [480, 800, 1200, 1300].map((w) => `/media/${image.id}-${w}w.webp ${w}w`).join(", ");
      const jpeg = [480, 800, 1200, 1300].map((w) => `/media/${image.id}-${w}w.jpg ${w}w`).join(", ");
      // The body image, rendered when the article was saved.
      expect(html).toContain(`<source type="image/webp" srcset="${webp}" sizes="(min-width: 44rem) 40rem, 100vw">`);
      expect(html).toMatch(
        new RegExp(
          `<img src="/media/${image.id}-1300w\\.jpg" srcset="${jpeg}" sizes="[^"]+" width="1300" height="900" alt="Fishing boats tied up at the quay"`,
        ),
      );
      // The feature image, rendered by the page.
      expect(html).toMatch(new RegExp(`<picture><source type="image/webp" srcset="${webp}" sizes="[^"]+"/?>`));
      expect(html).toMatch(/<img[^>]+alt="The quay at dawn"[^>]*>/);
      expect(html.match(/<img[^>]+alt="The quay at dawn"[^>]*>/)![0]).toContain('width="1300"');
      const report = await htmlValidator.validateString(html);
      expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
      for (const url of new Set(
        [...html.matchAll(new RegExp(`/media/${UUID}-\\d+w\\.(webp|jpg)`, "g"))].map((m) => m[0]),
      )) {
        expect((await app.get(url)).status, url).toBe(200);
      }

      // Feeds have no page to resolve addresses against: every srcset candidate is absolute there.
      const feed = (await (await app.get("/feed/json")).json()) as { items: { content_html: string }[] };
      const item = feed.items.find((it) => it.content_html.includes(image.id))!;
      const absolute = [480, 800].map((w) => `http://localhost:\\d+/media/${image.id}-${w}w\\.webp ${w}w`);
      expect(item.content_html).toMatch(new RegExp(`srcset="${absolute.join(", ")}`));

      const fields = { ...article.fields, featureImage: { url: image.url, alt: "" } };
      const edit = await api(app, "PUT", `/admin/api/articles/${article.id}`, {
        cookie: author.cookie,
        body: { baseVersion: article.version + 1, fields },
      });
      expect(edit.status).toBe(400);
      expect((await edit.json()).errors[0].code).toBe("ALT_TEXT_REQUIRED");
    });
  });
});

describe("the demo newspaper's pictures", () => {
  test("are still served from DATA_DIR/media/demo beside the library", async () => {
    const app = await startApp({ template: "demo" });
    try {
      const html = await app.html("/");
      const url = /\/media\/demo\/[a-z0-9-]+-1280\.webp/.exec(html)?.[0];
      expect(url).toBeDefined();
      const res = await app.get(url!);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/webp");
      expect((await app.get("/media/demo/..%2f..%2fsession-secret")).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
