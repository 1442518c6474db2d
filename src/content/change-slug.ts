/** Renaming the address of an article, section, tag, author or page: the old slug keeps answering with a 301. */
import { sql } from "drizzle-orm";
import { queryRows } from "../db/index.js";
import { Conflict, Invalid, NotFound } from "../shared/errors.js";
import { isValidSlug } from "../shared/slug.js";
import { noteFeedsChanged } from "./feed-pings.js";
import { tagsShowingArticle } from "./publish-article.js";
import type { SlugOwner } from "./queries.js";
import type { ContentDeps } from "./types.js";
import { type CacheTag, cacheTags } from "./types.js";

const TABLES: Record<SlugOwner, string> = {
  article: "articles",
  section: "sections",
  tag: "tags",
  author: "staff",
  page: "pages",
};

export type ChangeSlugInput = { owner: SlugOwner; id: string; slug: string };

export async function changeSlug(deps: ContentDeps, input: ChangeSlugInput): Promise<{ invalidates: CacheTag[] }> {
  if (!isValidSlug(input.slug)) {
    throw new Invalid(
      "INVALID_SLUG",
      "A slug has lowercase letters, digits and single hyphens, at most 120 characters",
      {
        property: "slug",
      },
    );
  }
  const table = sql.raw(TABLES[input.owner]);
  return deps.db.transaction(async (tx) => {
    const current = await queryRows<{ slug: string; section_id?: string }>(
      tx,
      input.owner === "article"
        ? sql`SELECT slug, section_id FROM articles WHERE id = ${input.id} FOR UPDATE`
        : sql`SELECT slug FROM ${table} WHERE id = ${input.id} FOR UPDATE`,
    );
    const row = current[0];
    if (!row) throw new NotFound("NOT_FOUND", `No ${input.owner} with id ${input.id}`);
    if (row.slug === input.slug) return { invalidates: [] };
    const taken = await queryRows(tx, sql`SELECT 1 FROM ${table} WHERE slug = ${input.slug} AND id <> ${input.id}`);
    if (taken.length) {
      throw new Conflict("SLUG_TAKEN", `"${input.slug}" is already in use`, {
        property: "slug",
        help: "Pick another slug, or change the other one's slug first",
      });
    }
    // The new slug may be one this thing had before: it stops being a redirect.
    await tx.execute(sql`DELETE FROM slug_redirects WHERE owner = ${input.owner} AND old_slug = ${input.slug}`);
    await tx.execute(
      sql`INSERT INTO slug_redirects (owner, old_slug, target_id) VALUES (${input.owner}, ${row.slug}, ${input.id})
          ON CONFLICT (owner, old_slug) DO UPDATE SET target_id = excluded.target_id`,
    );
    await tx.execute(sql`UPDATE ${table} SET slug = ${input.slug}, updated_at = now() WHERE id = ${input.id}`);
    const invalidates: CacheTag[] =
      input.owner === "article"
        ? await tagsShowingArticle(tx, input.id, String(row.section_id))
        : input.owner === "section"
          ? [cacheTags.site, cacheTags.section(input.id)]
          : input.owner === "tag"
            ? [cacheTags.site, cacheTags.tag(input.id)]
            : input.owner === "author"
              ? [cacheTags.site, cacheTags.author(input.id)]
              : [cacheTags.site, cacheTags.page(input.id)];
    // A listing's feed moves to its new address, and an article's link in every feed changes.
    if (input.owner === "article") await noteFeedsChanged(tx, { articleIds: [input.id] });
    else if (input.owner !== "page") await noteFeedsChanged(tx, { listingTags: invalidates });
    return { invalidates: [...invalidates, cacheTags.notFound] };
  });
}
