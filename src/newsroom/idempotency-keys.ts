/**
 * The Idempotency-Key of POST /admin/api/articles: a create retried with the same key (a lost answer, a double
 * click) gets the first answer again instead of making a second article. Keys are per staff member, 24 hours.
 */
import { createHash } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import { type Db, type Tx, withTransaction } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { articleCreateKeys } from "./schema.js";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const IDEMPOTENCY_KEY_HOURS = 24;
const KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/** The header's value, if one was sent: 1 to 200 printable ASCII characters, or a 400 naming the header. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !KEY_PATTERN.test(value)) {
    throw new Invalid(
      "INVALID_IDEMPOTENCY_KEY",
      `The ${IDEMPOTENCY_KEY_HEADER} header must be 1 to 200 printable ASCII characters`,
      {
        property: IDEMPOTENCY_KEY_HEADER,
        help: "Send a new random value (a UUID, say) for each article, and the same one again only to retry it",
      },
    );
  }
  return value;
}

/** `response` is the answer's body as serialized for the wire: a replay sends the very same bytes. */
export type CreatedOnce = { kind: "created" | "replayed"; response: string };

/**
 * Runs `create` unless this staff member already used `key` in the last 24 hours, in which case the first
 * answer comes back. Claiming the key and creating are one transaction: a failed create leaves the key unused,
 * and a concurrent request with the same key waits on the claimed primary key, then finds the first answer.
 */
export async function createOnce(
  deps: { db: Db; clock: Clock },
  input: {
    staffId: string;
    key: string;
    request: unknown;
    create: (tx: Tx) => Promise<{ articleId: string; response: string }>;
  },
): Promise<CreatedOnce> {
  const now = deps.clock.now();
  const requestHash = createHash("sha256").update(canonicalJson(input.request)).digest("hex");
  const thisKey = and(eq(articleCreateKeys.staffId, input.staffId), eq(articleCreateKeys.key, input.key));
  return withTransaction(deps.db, async (tx) => {
    // This staff member's keys older than a day are forgotten here, so their table never grows past a day's worth.
    const expired = new Date(now.getTime() - IDEMPOTENCY_KEY_HOURS * 3_600_000);
    await tx
      .delete(articleCreateKeys)
      .where(and(eq(articleCreateKeys.staffId, input.staffId), lt(articleCreateKeys.createdAt, expired)));
    const claimed = await tx
      .insert(articleCreateKeys)
      .values({ staffId: input.staffId, key: input.key, requestHash, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: articleCreateKeys.key });
    if (claimed.length === 0) {
      const [first] = await tx
        .select({ requestHash: articleCreateKeys.requestHash, response: articleCreateKeys.response })
        .from(articleCreateKeys)
        .where(thisKey);
      if (!first || first.response === null) throw new Error("an idempotency key was committed without its answer");
      if (first.requestHash !== requestHash) {
        throw new Conflict(
          "IDEMPOTENCY_KEY_REUSED",
          `This ${IDEMPOTENCY_KEY_HEADER} already created an article from a different request in the last ${IDEMPOTENCY_KEY_HOURS} hours`,
          {
            property: IDEMPOTENCY_KEY_HEADER,
            help: "Send a new key for a new article; to retry, send the same key with exactly the same body",
          },
        );
      }
      return { kind: "replayed", response: first.response };
    }
    const { articleId, response } = await input.create(tx);
    await tx.update(articleCreateKeys).set({ articleId, response }).where(thisKey);
    return { kind: "created", response };
  });
}

/** JSON with object keys sorted, so the same body sent with its keys in another order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
