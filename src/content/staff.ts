/** Staff accounts as the newsroom manages them. Password hashes leave this module only for checking a sign-in. */
import { asc, eq, sql } from "drizzle-orm";
import type { Db, Queryable } from "../db/index.js";
import { Conflict, NotFound } from "../shared/errors.js";
import { refreshSearchOf } from "./derived.js";
import { noteFeedsChanged } from "./feed-pings.js";
import { articleAuthors, staff } from "./schema.js";
import { type AuthorProfile, cacheTags, type StaffRole } from "./types.js";

export type StaffMember = {
  id: string;
  email: string;
  name: string;
  slug: string;
  bio: string;
  role: StaffRole;
  /** Set while the account is switched off: it cannot sign in and has no sessions. */
  deactivatedAt: Date | null;
  createdAt: Date;
};

/** A staff member with the hash their password is checked against: for sign-in only, never serialised. */
export type StaffCredentials = StaffMember & { passwordHash: string | null };

const PUBLIC_COLUMNS = {
  id: staff.id,
  email: staff.email,
  name: staff.name,
  slug: staff.slug,
  bio: staff.bio,
  role: staff.role,
  deactivatedAt: staff.deactivatedAt,
  createdAt: staff.createdAt,
};

export async function findStaffById(db: Queryable, id: string): Promise<StaffMember | undefined> {
  const [row] = await db.select(PUBLIC_COLUMNS).from(staff).where(eq(staff.id, id));
  return row;
}

export async function getStaffById(db: Queryable, id: string): Promise<StaffMember> {
  const found = await findStaffById(db, id);
  if (!found) throw new NotFound("STAFF_NOT_FOUND", `No staff member with id ${id}`);
  return found;
}

export async function findStaffByEmail(db: Queryable, email: string): Promise<StaffMember | undefined> {
  const [row] = await db
    .select(PUBLIC_COLUMNS)
    .from(staff)
    .where(sql`lower(${staff.email}) = ${email.trim().toLowerCase()}`);
  return row;
}

export async function findStaffCredentials(db: Queryable, email: string): Promise<StaffCredentials | undefined> {
  const [row] = await db
    .select({ ...PUBLIC_COLUMNS, passwordHash: staff.passwordHash })
    .from(staff)
    .where(sql`lower(${staff.email}) = ${email.trim().toLowerCase()}`);
  return row;
}

export async function listStaff(db: Queryable): Promise<StaffMember[]> {
  return db.select(PUBLIC_COLUMNS).from(staff).orderBy(asc(staff.name));
}

/**
 * What a staff member says about themselves on their author page and under their articles: the photo is an
 * image's address (the newsroom checks it is in the media library), the links are https addresses.
 */
export type StaffProfile = {
  name: string;
  bio: string;
  xHandle: string | null;
  photoUrl: string | null;
  profileLinks: string[];
};

/** Saves one's profile; the tags of every page that shows the byline or the author page. */
export async function updateStaffProfile(db: Queryable, id: string, profile: StaffProfile): Promise<string[]> {
  const [before] = await db.select({ name: staff.name }).from(staff).where(eq(staff.id, id));
  const rows = await db
    .update(staff)
    .set({
      name: profile.name,
      bio: profile.bio,
      xHandle: profile.xHandle,
      avatarUrl: profile.photoUrl,
      profileLinks: profile.profileLinks,
      updatedAt: sql`now()`,
    })
    .where(eq(staff.id, id))
    .returning({ id: staff.id });
  if (rows.length === 0) throw new NotFound("STAFF_NOT_FOUND", "There is no such staff member");
  // A byline is in its articles' search vectors: found by the new name, not the old.
  if (before?.name !== profile.name) {
    const bylined = await db
      .select({ id: articleAuthors.articleId })
      .from(articleAuthors)
      .where(eq(articleAuthors.staffId, id));
    await refreshSearchOf(
      db,
      bylined.map((r) => r.id),
    );
  }
  // The author's feed carries the name; the hub is told of it.
  await noteFeedsChanged(db, { listingTags: [cacheTags.author(id)] });
  // A byline is on every listing and article page of the author's: simplest and safe to refresh the site.
  return [cacheTags.site];
}

/** An author as their own page shows them, by the slug in its address. */
export async function findAuthorBySlug(db: Queryable, slug: string): Promise<AuthorProfile | undefined> {
  const [row] = await db
    .select({
      id: staff.id,
      slug: staff.slug,
      name: staff.name,
      bio: staff.bio,
      avatarUrl: staff.avatarUrl,
      xHandle: staff.xHandle,
      profileLinks: staff.profileLinks,
    })
    .from(staff)
    .where(eq(staff.slug, slug));
  return row;
}

export async function getStaffProfile(db: Queryable, id: string): Promise<StaffProfile> {
  const [row] = await db
    .select({
      name: staff.name,
      bio: staff.bio,
      xHandle: staff.xHandle,
      photoUrl: staff.avatarUrl,
      profileLinks: staff.profileLinks,
    })
    .from(staff)
    .where(eq(staff.id, id));
  if (!row) throw new NotFound("STAFF_NOT_FOUND", "There is no such staff member");
  return row;
}

export async function setStaffPassword(db: Queryable, input: { id: string; passwordHash: string }): Promise<void> {
  await db.update(staff).set({ passwordHash: input.passwordHash, updatedAt: sql`now()` }).where(eq(staff.id, input.id));
}

export async function changeStaffRole(db: Queryable, input: { id: string; role: StaffRole }): Promise<void> {
  const changed = await db
    .update(staff)
    .set({ role: input.role, updatedAt: sql`now()` })
    .where(eq(staff.id, input.id))
    .returning({ id: staff.id });
  if (!changed.length) throw new NotFound("STAFF_NOT_FOUND", `No staff member with id ${input.id}`);
}

/** The owner hands the site to another staff member and becomes an admin; there is always exactly one owner. */
export async function transferOwnership(db: Db, input: { fromId: string; toId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [from] = await tx.select({ role: staff.role }).from(staff).where(eq(staff.id, input.fromId)).for("update");
    const [to] = await tx.select({ role: staff.role }).from(staff).where(eq(staff.id, input.toId)).for("update");
    if (!to) throw new NotFound("STAFF_NOT_FOUND", `No staff member with id ${input.toId}`);
    if (from?.role !== "owner") throw new Conflict("NOT_OWNER", "Only the owner can hand over ownership");
    if (input.fromId === input.toId) {
      throw new Conflict("ALREADY_OWNER", "You already own this site", { property: "staffId" });
    }
    await tx.update(staff).set({ role: "admin", updatedAt: sql`now()` }).where(eq(staff.id, input.fromId));
    await tx.update(staff).set({ role: "owner", updatedAt: sql`now()` }).where(eq(staff.id, input.toId));
  });
}

/** Switches the account off (or on again); the caller ends its sessions in the same transaction. */
export async function setStaffActive(
  db: Queryable,
  input: { id: string; isActive: boolean; at: Date },
): Promise<StaffMember> {
  const [row] = await db
    .update(staff)
    .set({
      deactivatedAt: input.isActive
        ? null
        : sql`coalesce(${staff.deactivatedAt}, ${input.at.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(eq(staff.id, input.id))
    .returning(PUBLIC_COLUMNS);
  if (!row) throw new NotFound("STAFF_NOT_FOUND", `No staff member with id ${input.id}`);
  return row;
}
