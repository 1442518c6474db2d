/** Content API keys: made and revoked from the command line, checked on every Content API request. */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { contentApiKeys } from "./schema.js";

export type ContentApiKey = typeof contentApiKeys.$inferSelect;

// 26 lowercase hex characters: what Ghost issues, and what its JS client refuses to send anything but.
const KEY_PATTERN = /^[0-9a-f]{26}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CONTENT_API_KEY_USAGE =
  "usage: broadsheet content-api-key:create NAME | content-api-key:list | content-api-key:revoke ID";

export async function createContentApiKey(db: Queryable, name: string): Promise<ContentApiKey> {
  const label = name.trim();
  if (!label) {
    throw new Invalid("KEY_NAME_REQUIRED", "A content API key needs a name: the site or app that will use it.");
  }
  const [created] = await db
    .insert(contentApiKeys)
    .values({ name: label, key: randomBytes(13).toString("hex") })
    .returning();
  return created!;
}

export async function listContentApiKeys(db: Queryable): Promise<ContentApiKey[]> {
  return db.select().from(contentApiKeys).orderBy(contentApiKeys.createdAt, contentApiKeys.id);
}

export async function revokeContentApiKey(db: Queryable, id: string): Promise<ContentApiKey> {
  const [revoked] = UUID_PATTERN.test(id)
    ? await db
        .update(contentApiKeys)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(contentApiKeys.id, id), isNull(contentApiKeys.revokedAt)))
        .returning()
    : [];
  if (!revoked) throw new NotFound("KEY_NOT_FOUND", `No active content API key has the id "${id}".`);
  return revoked;
}

export async function isActiveContentApiKey(db: Queryable, key: string): Promise<boolean> {
  if (!KEY_PATTERN.test(key)) return false;
  const [found] = await db
    .select({ id: contentApiKeys.id })
    .from(contentApiKeys)
    .where(and(eq(contentApiKeys.key, key), isNull(contentApiKeys.revokedAt)))
    .limit(1);
  return found !== undefined;
}

/** Runs one `content-api-key:…` command line and returns what to print. */
export async function runContentApiKeyCommand(db: Queryable, args: string[]): Promise<string> {
  const [command, ...rest] = args;
  if (command === "content-api-key:create") return `${(await createContentApiKey(db, rest.join(" "))).key}\n`;
  if (command === "content-api-key:revoke" && rest.length === 1) {
    const revoked = await revokeContentApiKey(db, rest[0]!);
    return `revoked ${revoked.id} (${revoked.name})\n`;
  }
  if (command === "content-api-key:list" && rest.length === 0) {
    const keys = await listContentApiKeys(db);
    if (keys.length === 0) return "no content API keys yet\n";
    return keys
      .map((k) =>
        [k.id, k.key, k.createdAt.toISOString(), k.revokedAt ? "revoked" : "active", k.name].join("  ").concat("\n"),
      )
      .join("");
  }
  throw new Invalid("USAGE", CONTENT_API_KEY_USAGE);
}
