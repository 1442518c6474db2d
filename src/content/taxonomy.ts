/** Editing sections and tags. Their names show on every page (navigation, article headers): a change drops them all. */
import { asc, eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.js";
import { Conflict, Invalid, NotFound } from "../shared/errors.js";
import { refreshSearchOf } from "./derived.js";
import { noteFeedsChanged } from "./feed-pings.js";
import { findOrCreateTags } from "./save-article.js";
import { articleTags, sections, tags } from "./schema.js";
import { type AccessDefault, type CacheTag, cacheTags, type Section } from "./types.js";

/** `accessDefault` left out keeps the section's rule; null removes it. */
export type SectionInput = {
  name: string;
  description: string;
  position: number;
  accessDefault?: AccessDefault | null;
};
export type Tag = { id: string; slug: string; name: string; description: string };
export type TagInput = { name: string; description: string };

function requireName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new Invalid("NAME_REQUIRED", "Give it a name", { property: "name" });
  return trimmed;
}

const SECTION_COLUMNS = {
  id: sections.id,
  slug: sections.slug,
  name: sections.name,
  description: sections.description,
  position: sections.position,
  defaultAccessLevel: sections.defaultAccessLevel,
  defaultMetered: sections.defaultMetered,
  archivedAt: sections.archivedAt,
};

function toSection(row: {
  id: string;
  slug: string;
  name: string;
  description: string;
  position: number;
  defaultAccessLevel: AccessDefault["accessLevel"] | null;
  defaultMetered: boolean;
  archivedAt: Date | null;
}): Section {
  const { defaultAccessLevel, defaultMetered, ...rest } = row;
  return {
    ...rest,
    accessDefault: defaultAccessLevel ? { accessLevel: defaultAccessLevel, isMetered: defaultMetered } : null,
  };
}

export async function getSection(db: Db, id: string): Promise<Section> {
  const [section] = await db.select(SECTION_COLUMNS).from(sections).where(eq(sections.id, id));
  if (!section) throw new NotFound("SECTION_NOT_FOUND", `No section with id ${id}`);
  return toSection(section);
}

export async function updateSection(
  db: Db,
  input: SectionInput & { id: string },
): Promise<{ section: Section; invalidates: CacheTag[] }> {
  const [section] = await db
    .update(sections)
    .set({
      name: requireName(input.name),
      description: input.description.trim(),
      position: input.position,
      ...(input.accessDefault !== undefined
        ? {
            defaultAccessLevel: input.accessDefault?.accessLevel ?? null,
            defaultMetered: input.accessDefault?.isMetered ?? false,
          }
        : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(sections.id, input.id))
    .returning(SECTION_COLUMNS);
  if (!section) throw new NotFound("SECTION_NOT_FOUND", `No section with id ${input.id}`);
  // Its feed carries its name and description.
  await noteFeedsChanged(db, { listingTags: [cacheTags.section(section.id)] });
  return { section: toSection(section), invalidates: [cacheTags.site, cacheTags.section(section.id)] };
}

/**
 * An archived section leaves the masthead, the footer, the front page and the sitemap; its page and its
 * articles stay at their addresses. Restoring brings it back where it was.
 */
export async function archiveSection(
  db: Db,
  input: { id: string; isArchived: boolean; at: Date },
): Promise<{ section: Section; invalidates: CacheTag[] }> {
  const [section] = await db
    .update(sections)
    .set({
      archivedAt: input.isArchived
        ? sql`coalesce(${sections.archivedAt}, ${input.at.toISOString()}::timestamptz)`
        : null,
      updatedAt: sql`now()`,
    })
    .where(eq(sections.id, input.id))
    .returning(SECTION_COLUMNS);
  if (!section) throw new NotFound("SECTION_NOT_FOUND", `No section with id ${input.id}`);
  return { section: toSection(section), invalidates: [cacheTags.site, cacheTags.section(section.id)] };
}

/** Puts the sections in this order (positions 0, 1, 2…); every section, archived ones too, is named once. */
export async function reorderSections(db: Db, ids: readonly string[]): Promise<{ invalidates: CacheTag[] }> {
  if (new Set(ids).size !== ids.length) {
    throw new Invalid("SECTION_REPEATED", "Name each section once", { property: "sectionIds" });
  }
  return db.transaction(async (tx) => {
    const all = await tx.select({ id: sections.id }).from(sections).for("update");
    const known = new Set(all.map((s) => s.id));
    const unknown = ids.findIndex((id) => !known.has(id));
    if (unknown >= 0) {
      throw new Invalid("UNKNOWN_SECTION", "There is no such section", { property: `sectionIds.${unknown}` });
    }
    if (ids.length !== all.length) {
      throw new Invalid("SECTION_MISSING", `Name all ${all.length} sections, in their new order`, {
        property: "sectionIds",
      });
    }
    for (const [position, id] of ids.entries()) {
      await tx.update(sections).set({ position, updatedAt: sql`now()` }).where(eq(sections.id, id));
    }
    return { invalidates: [cacheTags.site] };
  });
}

/** Only an empty section can go: articles are never left without one. */
export async function deleteSection(db: Db, id: string): Promise<{ invalidates: CacheTag[] }> {
  return db.transaction(async (tx) => {
    const [used] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM articles WHERE section_id = ${id}`,
    );
    if ((used?.n ?? 0) > 0) {
      throw new Conflict("SECTION_NOT_EMPTY", `This section still has ${used?.n} articles`, {
        help: "Move its articles to another section first",
      });
    }
    const gone = await tx.delete(sections).where(eq(sections.id, id)).returning({ id: sections.id });
    if (!gone.length) throw new NotFound("SECTION_NOT_FOUND", `No section with id ${id}`);
    return { invalidates: [cacheTags.site, cacheTags.section(id)] };
  });
}

export async function listTags(db: Db): Promise<Tag[]> {
  return db
    .select({ id: tags.id, slug: tags.slug, name: tags.name, description: tags.description })
    .from(tags)
    .orderBy(asc(tags.name));
}

export async function createTag(db: Db, input: TagInput): Promise<Tag> {
  const name = requireName(input.name);
  return db.transaction(async (tx) => {
    const taken = await tx.select({ id: tags.id }).from(tags).where(sql`lower(${tags.name}) = lower(${name})`);
    if (taken.length) throw new Conflict("TAG_EXISTS", `There is already a tag "${name}"`, { property: "name" });
    const [id] = await findOrCreateTags(tx, [name]);
    const [tag] = await tx
      .update(tags)
      .set({ description: input.description.trim() })
      .where(eq(tags.id, id ?? ""))
      .returning({ id: tags.id, slug: tags.slug, name: tags.name, description: tags.description });
    if (!tag) throw new Error("the new tag was not found");
    return tag;
  });
}

export async function updateTag(
  db: Db,
  input: TagInput & { id: string },
): Promise<{ tag: Tag; invalidates: CacheTag[] }> {
  const name = requireName(input.name);
  return db.transaction(async (tx) => {
    const clash = await tx
      .select({ id: tags.id })
      .from(tags)
      .where(sql`lower(${tags.name}) = lower(${name}) AND ${tags.id} <> ${input.id}`);
    if (clash.length) throw new Conflict("TAG_EXISTS", `There is already a tag "${name}"`, { property: "name" });
    const [before] = await tx.select({ name: tags.name }).from(tags).where(eq(tags.id, input.id));
    const [tag] = await tx
      .update(tags)
      .set({ name, description: input.description.trim(), updatedAt: sql`now()` })
      .where(eq(tags.id, input.id))
      .returning({ id: tags.id, slug: tags.slug, name: tags.name, description: tags.description });
    if (!tag) throw new NotFound("TAG_NOT_FOUND", `No tag with id ${input.id}`);
    // The name is in its articles' search vectors and readable words: found by the new name, not the old.
    if (before?.name !== tag.name) await refreshSearchOf(tx, await articlesTagged(tx, tag.id));
    await noteFeedsChanged(tx, { listingTags: [cacheTags.tag(tag.id)] });
    return { tag, invalidates: [cacheTags.site, cacheTags.tag(tag.id)] };
  });
}

/** Removes the tag from every article that had it (and its name from their search vectors). */
export async function deleteTag(db: Db, id: string): Promise<{ invalidates: CacheTag[] }> {
  return db.transaction(async (tx) => {
    const tagged = await articlesTagged(tx, id);
    const gone = await tx.delete(tags).where(eq(tags.id, id)).returning({ id: tags.id });
    if (!gone.length) throw new NotFound("TAG_NOT_FOUND", `No tag with id ${id}`);
    await refreshSearchOf(tx, tagged);
    return { invalidates: [cacheTags.site, cacheTags.tag(id)] };
  });
}

async function articlesTagged(db: Pick<Db, "select">, tagId: string): Promise<string[]> {
  const rows = await db.select({ id: articleTags.articleId }).from(articleTags).where(eq(articleTags.tagId, tagId));
  return rows.map((r) => r.id);
}
