import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "avif"] as const;

/**
 * The media library: one row per uploaded image. The files' names follow from the row (id, size, format;
 * see shared/responsive-image.ts), so none is stored. `original_name` is kept only to search by.
 */
export const mediaImages = pgTable(
  "media_images",
  {
    id: uuid("id").primaryKey(),
    format: text("format", { enum: IMAGE_FORMATS }).notNull(),
    width: integer("width").notNull(),
    height: integer("height").notNull(),
    /** Size of the stored original, after re-encoding. */
    bytes: integer("bytes").notNull(),
    originalName: text("original_name").notNull().default(""),
    alt: text("alt").notNull().default(""),
    caption: text("caption").notNull().default(""),
    credit: text("credit").notNull().default(""),
    /** The staff member who uploaded it; no foreign key, as staff belongs to content. */
    uploadedBy: uuid("uploaded_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("media_images_created_idx").on(t.createdAt, t.id),
    check("media_images_format_check", sql`${t.format} IN ('jpeg','png','webp','gif','avif')`),
    check("media_images_size_check", sql`${t.width} > 0 AND ${t.height} > 0`),
  ],
);
