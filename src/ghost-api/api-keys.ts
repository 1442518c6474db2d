/**
 * Content API keys: made and revoked from the command line, checked on every Content API request (through
 * `key-check.ts`, which asks the database once per key per cache generation).
 */
import { randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { contentApiKeys } from "./schema.js";

export type ContentApiKey = typeof contentApiKeys.$inferSelect;

// 26 lowercase hex characters: what Ghost issues, and what its JS client refuses to send anything but.
const KEY_PATTERN = /^[0-9a-f]{26}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Announced to the page cache when a key is created or revoked. No page carries it: it starts a new generation,
 * after which every process asks the database about each key again (`key-check.ts`).
 */
export const CONTENT_API_KEYS_TAG = "content-api-keys";

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

/** A key of the shape Ghost issues; anything else is unknown without asking the database. */
export function isWellFormedContentApiKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export async function isActiveContentApiKey(db: Queryable, key: string): Promise<boolean> {
  if (!isWellFormedContentApiKey(key)) return false;
  const [found] = await db
    .select({ id: contentApiKeys.id })
    .from(contentApiKeys)
    .where(and(eq(contentApiKeys.key, key), isNull(contentApiKeys.revokedAt)))
    .limit(1);
  return found !== undefined;
}

/**
 * Runs one `content-api-key:…` command line: what to print, and the cache tags to announce to the running
 * servers, which check keys from memory until told that the keys changed.
 */
export async function runContentApiKeyCommand(
  db: Queryable,
  args: string[],
): Promise<{ output: string; invalidates: string[] }> {
  const [command, ...rest] = args;
  if (command === "content-api-key:create") {
    const created = await createContentApiKey(db, rest.join(" "));
    return { output: `${created.key}\n`, invalidates: [CONTENT_API_KEYS_TAG] };
  }
  if (command === "content-api-key:revoke" && rest.length === 1) {
    const revoked = await revokeContentApiKey(db, rest[0]!);
    return { output: `revoked ${revoked.id} (${revoked.name})\n`, invalidates: [CONTENT_API_KEYS_TAG] };
  }
  if (command === "content-api-key:list" && rest.length === 0) {
    const keys = await listContentApiKeys(db);
    if (keys.length === 0) return { output: "no content API keys yet\n", invalidates: [] };
    const output = keys
      .map((k) =>
        [k.id, k.key, k.createdAt.toISOString(), k.revokedAt ? "revoked" : "active", k.name].join("  ").concat("\n"),
      )
      .join("");
    return { output, invalidates: [] };
  }
  throw new Invalid("USAGE", CONTENT_API_KEY_USAGE);
}
