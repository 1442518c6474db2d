/** Factories: each test makes the data it needs, with readable defaults. */
import { randomBytes } from "node:crypto";
import type { AccessLevel, ArticleKind } from "../../src/content/index.js";
import * as content from "../../src/content/index.js";
import type { Db } from "../../src/db/index.js";
import type { Clock } from "../../src/shared/clock.js";

const unique = () => randomBytes(3).toString("hex");

export type ArticleSpec = {
  title?: string;
  dek?: string;
  kind?: ArticleKind;
  section?: { id: string; slug: string };
  author?: { id: string; slug: string };
  status?: "draft" | "published";
  accessLevel?: AccessLevel;
  isMetered?: boolean;
  /** Body paragraphs; `previewAfter` puts the "preview ends here" divider after that many. */
  paragraphs?: string[];
  previewAfter?: number;
  tags?: string[];
  publishedAt?: Date;
};

export function paragraphsDoc(paragraphs: string[], previewAfter?: number) {
  const content: object[] = paragraphs.map((text) => ({ type: "paragraph", content: [{ type: "text", text }] }));
  if (previewAfter !== undefined) content.splice(previewAfter, 0, { type: "previewBoundary" });
  return { type: "doc", content };
}

export function makers(deps: { db: Db; clock: Clock }) {
  const make = {
    async settings() {
      await content.ensureSettings(deps.db, {
        title: "The Test Gazette",
        description: "Tested daily",
        timeZone: "UTC",
      });
    },
    async section(spec: { name?: string } = {}) {
      await make.settings();
      const name = spec.name ?? `Section ${unique()}`;
      return { name, ...(await content.createSection(deps.db, { name })) };
    },
    async author(spec: { name?: string } = {}) {
      const name = spec.name ?? `Reporter ${unique()}`;
      return {
        name,
        ...(await content.createStaff(deps.db, { email: `${unique()}@example.test`, name, role: "author" })),
      };
    },
    async article(spec: ArticleSpec = {}) {
      const section = spec.section ?? (await make.section());
      const author = spec.author ?? (await make.author());
      const title = spec.title ?? `Headline ${unique()}`;
      const { id, slug } = await content.createArticle(deps, {
        title,
        dek: spec.dek ?? "A standfirst for the test.",
        kind: spec.kind ?? "news",
        sectionId: section.id,
        authorIds: [author.id],
        tagNames: spec.tags ?? [],
        accessLevel: spec.accessLevel ?? "public",
        isMetered: spec.isMetered ?? false,
        body: paragraphsDoc(
          spec.paragraphs ?? ["First paragraph.", "Second paragraph.", "Third paragraph."],
          spec.previewAfter,
        ),
      });
      if ((spec.status ?? "published") === "published") {
        await content.publishArticle(deps, { id, ...(spec.publishedAt ? { at: spec.publishedAt } : {}) });
      }
      return { id, slug, title, section, author };
    },
  };
  return make;
}
