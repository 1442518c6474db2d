/**
 * An author's X handle and profile links in the Content API's author fields, at /authors/ and in posts' bylines,
 * and a profile saved in the newsroom seen there at once: the kept answers that show the author are dropped.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { databaseKinds } from "../support/db.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { type GhostTestApp, startGhostApp } from "./ghost-app.js";

type GhostAuthor = Record<string, unknown>;

describe.each(databaseKinds())("authors' accounts in the Content API on %s", (kind) => {
  let ghost: GhostTestApp;
  let author: StaffAccount;
  let authorSlug: string;
  let articleSlug: string;

  beforeAll(async () => {
    ghost = await startGhostApp({ database: kind });
    author = await signedInStaff(ghost.app, "author");
    authorSlug = (await content.getStaffById(ghost.app.db, author.id)).slug;
    articleSlug = (await ghost.app.make.article({ author: { id: author.id, slug: authorSlug } })).slug;
  });
  afterAll(async () => ghost.app.close());

  const saveProfile = async (xHandle: string | null, profileLinks: string[]) => {
    const body = { name: "Mira Kos", bio: "Covers the courts.", xHandle, profileLinks };
    const saved = await api(ghost.app, "PUT", "/admin/api/profile", { cookie: author.cookie, body });
    expect(saved.status).toBe(200);
  };

  /** The author as each answer that shows them has it: read, listed, and in a post's byline (read and listed). */
  async function authorEverywhere(): Promise<GhostAuthor[]> {
    const json = async (path: string) => {
      const res = await ghost.get(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      expect(body, path).not.toContain(author.email);
      return JSON.parse(body) as {
        authors?: GhostAuthor[];
        posts?: { authors: GhostAuthor[]; primary_author: GhostAuthor }[];
      };
    };
    const read = await json(`/authors/slug/${authorSlug}/`);
    const listed = await json(`/authors/?filter=slug:${authorSlug}`);
    const post = await json(`/posts/slug/${articleSlug}/?include=authors`);
    const posts = await json(`/posts/?filter=author:${authorSlug}&include=authors`);
    return [
      read.authors![0]!,
      listed.authors![0]!,
      post.posts![0]!.authors[0]!,
      post.posts![0]!.primary_author,
      posts.posts![0]!.primary_author,
    ];
  }

  const authorPageHeader = async () => {
    const page = await ghost.app.html(`/author/${authorSlug}`);
    const start = page.indexOf('<header class="listing-header');
    return page.slice(start, page.indexOf("</header>", start));
  };

  test("the handle and links fill Ghost's fields in its formats; a profile saved in the newsroom shows at once", async () => {
    await saveProfile("mirakos", [
      "https://mirakos.example/",
      "https://www.facebook.com/mirakos.reports",
      "https://social.example/@mira",
    ]);
    const before = {
      website: "https://mirakos.example/",
      twitter: "@mirakos",
      facebook: "mirakos.reports",
      mastodon: "social.example/@mira",
      linkedin: null,
      bluesky: null,
    };
    for (const shown of await authorEverywhere()) expect(shown).toMatchObject(before);
    expect(await authorPageHeader()).toContain('href="https://mirakos.example/"');

    // Changed behind the cache's back: the answers and the page are the kept ones, as they were.
    await content.updateStaffProfile(ghost.app.db, author.id, {
      name: "Mira Kos",
      bio: "Covers the courts.",
      xHandle: null,
      photoUrl: null,
      profileLinks: ["https://unannounced.example/"],
    });
    for (const shown of await authorEverywhere()) expect(shown).toMatchObject(before);
    expect(await authorPageHeader()).toContain('href="https://mirakos.example/"');

    await saveProfile(null, ["https://kos.example/notes", "https://www.linkedin.com/in/mira-kos"]);
    const after = {
      website: "https://kos.example/notes",
      twitter: null,
      facebook: null,
      mastodon: null,
      linkedin: "mira-kos",
      bluesky: null,
    };
    for (const shown of await authorEverywhere()) expect(shown).toMatchObject(after);
    const header = await authorPageHeader();
    expect(header).toContain('href="https://kos.example/notes"');
    expect(header).not.toContain("mirakos.example");
  });
});
