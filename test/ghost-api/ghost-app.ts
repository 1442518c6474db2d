/** A running demo paper with a Content API key, Ghost's official client pointed at it, and article factories. */
import { randomBytes } from "node:crypto";
import GhostContentAPI, { type GhostContentApi } from "@tryghost/content-api";
import * as content from "../../src/content/index.js";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { startApp, type TestApp } from "../support/app.js";
import type { TestDatabaseKind } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";

/** Where the paper says it lives: every `url` the API sends is under it, whatever host was asked. */
export const PUBLIC_URL = "https://paper.example";

export type GhostTestApp = {
  app: TestApp;
  key: string;
  api: GhostContentApi;
  /** GET a Content API path (`/posts/?limit=1`), the key added unless `key` says otherwise. */
  get(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** Published as the newsroom publishes: the tags it returns are invalidated, unless `isAnnounced` is false. */
  article(spec?: ArticleSpec): Promise<{ id: string; slug: string; title: string; invalidates: string[] }>;
};

export type ArticleSpec = {
  title?: string;
  tags?: string[];
  kind?: content.ArticleKind;
  isFeatured?: boolean;
  accessLevel?: content.AccessLevel;
  isMetered?: boolean;
  paragraphs?: string[];
  previewAfter?: number;
  publishedAt?: Date;
  section?: { id: string };
  /**
   * False: published in the database only, the page cache not told, so a kept answer still shows what was there
   * before (how a test tells an answer from the cache from one read again). The tags are returned to invalidate.
   */
  isAnnounced?: boolean;
};

/** A name no other test's data shares, usable as a slug as it is. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

/** On the demo paper (PGlite), or on a fresh, empty PostgreSQL database. */
export async function startGhostApp(options: { database?: TestDatabaseKind } = {}): Promise<GhostTestApp> {
  const app = await startApp({ template: "demo", env: { PUBLIC_URL }, ...options });
  const { key } = await createContentApiKey(app.db, "contract tests");
  const api = GhostContentAPI({ url: app.url, key, version: "v5.0" });
  const deps = { db: app.db, clock: app.built.clock };
  return {
    app,
    key,
    api,
    get(path, init = {}) {
      const { key: keyOverride, ...rest } = init;
      const given = keyOverride === undefined ? key : keyOverride;
      const separator = path.includes("?") ? "&" : "?";
      const url = `/ghost/api/content${path}${given === null ? "" : `${separator}key=${given}`}`;
      return app.get(url, rest);
    },
    async article(spec = {}) {
      const section = spec.section ?? (await app.make.section());
      const author = await app.make.author();
      const title = spec.title ?? unique("Headline");
      const { id, slug } = await content.createArticle(deps, {
        title,
        dek: "",
        kind: spec.kind ?? "news",
        sectionId: section.id,
        authorIds: [author.id],
        tagNames: spec.tags ?? [],
        accessLevel: spec.accessLevel ?? "public",
        isMetered: spec.isMetered ?? false,
        isFeatured: spec.isFeatured ?? false,
        body: paragraphsDoc(spec.paragraphs ?? ["First paragraph.", "Second paragraph."], spec.previewAfter),
      });
      // As the newsroom publishes: the answers that list or show the article are dropped.
      const published = await content.publishArticle(deps, {
        id,
        ...(spec.publishedAt ? { at: spec.publishedAt } : {}),
      });
      if (spec.isAnnounced !== false) await app.built.invalidator.invalidate(published.invalidates);
      return { id, slug, title, invalidates: published.invalidates };
    },
  };
}
