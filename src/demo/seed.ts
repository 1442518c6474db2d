/** Fills an empty database with the demo newspaper, once: the settings row's marker makes restarts skip it. */
import { sql } from "drizzle-orm";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { slugify } from "../shared/slug.js";
import { demoArticles } from "./articles.js";
import { copyDemoImages, demoImageUrl, demoPortraitUrl } from "./demo-images.js";
import { demoPages } from "./demo-pages.js";
import { demoAuthors, demoSections, demoSite } from "./demo-world.js";
import { toDocument } from "./to-document.js";

export type SeedDeps = { db: Db; clock: Clock; mediaDir: string };

/** Returns what it seeded, or undefined when the database already had a site. */
export async function seedDemo(deps: SeedDeps): Promise<{ articles: number } | undefined> {
  if (await content.hasSettings(deps.db)) return undefined;
  await copyDemoImages(deps.mediaDir);
  const now = deps.clock.now();
  // One transaction: a start killed half-way leaves no half-seeded paper, and the next start seeds again.
  return deps.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const seeded = await content.ensureSettings(db, { ...demoSite });
    if (!seeded) return undefined;
    const sectionIds = new Map<string, string>();
    for (const [position, s] of demoSections.entries()) {
      const { id } = await content.createSection(db, { ...s, position });
      sectionIds.set(s.slug, id);
    }
    const authorIds = new Map<string, string>();
    for (const a of demoAuthors) {
      const { id } = await content.createStaff(db, {
        email: `${a.slug.split("-")[0]}@meridianpost.example`,
        name: a.name,
        role: a.role,
        bio: a.bio,
        avatarUrl: demoPortraitUrl(a.slug),
        profileLinks: [...a.links],
      });
      authorIds.set(a.slug, id);
    }
    const ordered = [...demoArticles].sort((x, y) => y.hoursAgo - x.hoursAgo);
    const publications: content.PublishInput[] = [];
    for (const demo of ordered) {
      const slug = slugify(demo.title);
      const { id } = await content.createArticle(
        { db, clock: deps.clock },
        {
          title: demo.title,
          slug,
          dek: demo.dek,
          kind: demo.kind,
          sectionId: required(sectionIds, demo.section),
          authorIds: demo.authors.map((a) => required(authorIds, a)),
          tagNames: demo.tags,
          body: toDocument(demo.body),
          accessLevel: demo.access,
          isMetered: demo.metered,
          isFeatured: demo.isFeatured ?? false,
          ...(demo.image
            ? {
                featureImage: {
                  url: demoImageUrl(slug),
                  alt: demo.image.alt,
                  caption: demo.image.caption,
                  credit: demo.image.credit,
                },
              }
            : {}),
        },
      );
      publications.push({ id, at: new Date(now.getTime() - demo.hoursAgo * 3_600_000) });
      if (demo.isBreaking) {
        // A demo strip runs for a day after seeding, as a real one would for a developing story.
        await content.setBreakingNews(db, {
          text: demo.title,
          url: `/${demo.section}/${slug}`,
          expiresAt: new Date(now.getTime() + 24 * 3_600_000),
          by: null,
          now,
        });
      }
    }
    // All at once: related articles are chosen once for each, not again with every later article.
    await content.publishArticles({ db, clock: deps.clock }, publications);
    for (const page of demoPages) {
      await content.createPage(db, { slug: page.slug, title: page.title, body: toDocument(page.body) });
    }
    // The planner's statistics for what was just written: without them it takes every table for a row or two
    // (the embedded database has no autovacuum, and its first tidying round is a minute away), and plans reads
    // by those guesses. ANALYZE counts this transaction's own rows, and its statistics commit with them.
    await db.execute(sql`ANALYZE`);
    return { articles: ordered.length };
  });
}

function required(map: Map<string, string>, key: string): string {
  const value = map.get(key);
  if (!value) throw new Error(`Demo content refers to unknown "${key}"`);
  return value;
}
