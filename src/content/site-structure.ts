/** Settings, sections, staff and static pages: the frame the articles live in. */
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { slugify, uniqueSlug } from "../shared/slug.js";
import { parseDocument } from "./document/parse-document.js";
import { renderDocumentHtml } from "./document/render-html.js";
import { pages, sections, siteSettings, staff } from "./schema.js";
import type { AccessDefault, SiteSettings, StaffRole } from "./types.js";

export type SettingsInput = Partial<Omit<SiteSettings, "previewParagraphs">> & {
  title: string;
  previewParagraphs?: number;
};

/** Creates the settings row on first start; later starts keep what the newsroom set. True if it created it. */
export async function ensureSettings(db: Queryable, input: SettingsInput): Promise<boolean> {
  const created = await db
    .insert(siteSettings)
    .values({ id: 1, ...input })
    .onConflictDoNothing()
    .returning({ id: siteSettings.id });
  return created.length > 0;
}

export async function hasSettings(db: Queryable): Promise<boolean> {
  const rows = await db.select({ id: siteSettings.id }).from(siteSettings).where(eq(siteSettings.id, 1));
  return rows.length > 0;
}

export async function createSection(
  db: Queryable,
  input: { name: string; slug?: string; description?: string; position?: number; accessDefault?: AccessDefault | null },
): Promise<{ id: string; slug: string }> {
  const slug = input.slug ?? slugify(input.name);
  const [row] = await db
    .insert(sections)
    .values({
      name: input.name,
      slug,
      description: input.description ?? "",
      position: input.position ?? 0,
      defaultAccessLevel: input.accessDefault?.accessLevel ?? null,
      defaultMetered: input.accessDefault?.isMetered ?? false,
    })
    .onConflictDoNothing()
    .returning({ id: sections.id, slug: sections.slug });
  if (!row) throw new Conflict("SLUG_TAKEN", `A section already has the address "${slug}"`, { property: "slug" });
  return row;
}

export type CreateStaffInput = {
  email: string;
  name: string;
  role: StaffRole;
  bio?: string;
  avatarUrl?: string;
  xHandle?: string;
  profileLinks?: string[];
  passwordHash?: string;
};

export async function createStaff(db: Queryable, input: CreateStaffInput): Promise<{ id: string; slug: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
    throw new Invalid("INVALID_EMAIL", "That is not an email address", { property: "email" });
  const existing = await db.select({ id: staff.id }).from(staff).where(sql`lower(${staff.email}) = ${email}`);
  if (existing.length)
    throw new Conflict("EMAIL_TAKEN", "A staff account already uses that email", { property: "email" });
  const slug = await uniqueSlug(
    slugify(input.name),
    async (s) => (await db.select({ id: staff.id }).from(staff).where(eq(staff.slug, s))).length > 0,
  );
  const [row] = await db
    .insert(staff)
    .values({
      email,
      name: input.name.trim(),
      slug,
      role: input.role,
      bio: input.bio ?? "",
      avatarUrl: input.avatarUrl ?? null,
      xHandle: input.xHandle ?? null,
      profileLinks: input.profileLinks ?? [],
      passwordHash: input.passwordHash ?? null,
    })
    .returning({ id: staff.id, slug: staff.slug });
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function hasOwner(db: Queryable): Promise<boolean> {
  const rows = await db.select({ id: staff.id }).from(staff).where(eq(staff.role, "owner")).limit(1);
  return rows.length > 0;
}

export async function createPage(
  db: Queryable,
  input: { slug: string; title: string; body: unknown; metaDescription?: string },
): Promise<{ id: string }> {
  const doc = parseDocument(input.body);
  const { html, text } = renderDocumentHtml(doc);
  const [row] = await db
    .insert(pages)
    .values({
      slug: input.slug,
      title: input.title,
      bodyDoc: doc,
      html,
      plaintext: text,
      metaDescription: input.metaDescription ?? null,
    })
    .returning({ id: pages.id });
  if (!row) throw new Error("insert returned no row");
  return row;
}
