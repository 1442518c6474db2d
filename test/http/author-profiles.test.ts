/**
 * An author's own profile over HTTP: the photo comes from the media library, links are https addresses only,
 * and the author page shows them with the bio, under "Follow" with the author's own feed.
 */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, signedInStaff, uploadFile } from "../support/newsroom.js";

describe.each(databaseKinds())("author profiles on %s", (kind) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock: fixedClock(new Date("2031-05-06T08:00:00Z")), database: kind });
  });
  afterAll(async () => {
    await app.close();
  });

  test("an author sets a library photo and https links, and the author page shows them where the bio is", async () => {
    const author = await signedInStaff(app, "author");
    const bytes = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#7a4a2e" } })
      .jpeg()
      .toBuffer();
    const uploaded = await uploadFile(app, author.cookie, { bytes, name: "me.jpg", type: "image/jpeg" });
    expect(uploaded.status).toBe(201);
    const { image } = (await uploaded.json()) as { image: { url: string } };
    const profile = {
      name: "Mira Kos",
      bio: "Covers the courts.",
      xHandle: null,
      photoUrl: image.url,
      profileLinks: ["https://mirakos.example/", "https://social.example/@mira", "https://www.linkedin.com/in/mira"],
    };
    const saved = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body: profile });
    expect(saved.status).toBe(200);
    // The newsroom's preview gets the photo's smaller copies to choose from, not the original alone.
    const stem = image.url.replace(/-600x600\.jpg$/, "");
    const photoSrcset = `${stem}-480w.jpg 480w, ${stem}-600w.jpg 600w`;
    expect(await saved.json()).toEqual({ ...profile, photoSrcset });
    expect(await (await api(app, "GET", "/admin/api/profile", { cookie: author.cookie })).json()).toEqual({
      ...profile,
      photoSrcset,
    });

    const { slug } = await content.getStaffById(app.db, author.id);
    await app.make.article({ author: { id: author.id, slug } });
    const page = await app.html(`/author/${slug}`);
    const start = page.indexOf('<header class="listing-header');
    const header = page.slice(start, page.indexOf("</header>", start));
    // The photo is one of the upload's smaller copies, not the original.
    expect(header).toMatch(/<img class="author-face" src="\/media\/[0-9a-f-]+-\d+w\.jpg" srcset="[^"]+480w/);
    expect(header).toContain(`<nav class="author-follow" aria-label="Follow Mira Kos">`);
    expect(header).toContain(`href="/author/${slug}/feed"`);
    expect(header).toContain('<a href="https://mirakos.example/" rel="me noopener">mirakos.example</a>');
    expect(header).toContain('<a href="https://social.example/@mira" rel="me noopener">Mastodon</a>');
    expect(header).toContain('<a href="https://www.linkedin.com/in/mira" rel="me noopener">LinkedIn</a>');
    expect(header).not.toContain("Follow us");
  });

  test("a blank name, links that are not whole https addresses and photos from outside the library are refused, naming the field", async () => {
    const author = await signedInStaff(app, "author");
    const base = { name: "Ana Ruiz", bio: "", xHandle: null };
    for (const [body, code, property] of [
      [{ ...base, profileLinks: ["http://ana.example/"] }, "PROFILE_LINK_NOT_HTTPS", "profileLinks.0"],
      [
        { ...base, profileLinks: ["https://ok.example/", "javascript:alert(1)"] },
        "PROFILE_LINK_NOT_HTTPS",
        "profileLinks.1",
      ],
      [{ ...base, profileLinks: ["https://"] }, "PROFILE_LINK_NOT_HTTPS", "profileLinks.0"],
      [{ ...base, name: "   " }, "NAME_REQUIRED", "name"],
      [{ ...base, photoUrl: "https://elsewhere.example/me.jpg" }, "PHOTO_NOT_IN_LIBRARY", "photoUrl"],
      [
        { ...base, photoUrl: "/media/0b0e8d5e-4a7c-4b6e-9a39-2f1d3c6b7a10-600x600.jpg" },
        "PHOTO_NOT_IN_LIBRARY",
        "photoUrl",
      ],
    ] as const) {
      const refused = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const { errors } = (await refused.json()) as { errors: { code: string; property: string }[] };
      expect(errors[0]).toMatchObject({ code, property });
    }
    const tooMany = { ...base, profileLinks: Array.from({ length: 6 }, (_, i) => `https://a${i}.example/`) };
    const refused = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body: tooMany });
    expect(refused.status).toBe(400);
    expect(await errorCodeOf(refused)).toBeDefined();
    const kept = await (await api(app, "GET", "/admin/api/profile", { cookie: author.cookie })).json();
    expect(kept).toMatchObject({ photoUrl: null, photoSrcset: null, profileLinks: [] });
  });
});
