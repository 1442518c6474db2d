/**
 * Bodies shared by many queued messages (schema.ts `mailBodies`): stored once per batch, read once per process
 * while its messages go out, and pruned once no job names them.
 */
import { inArray, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { createBatcher } from "../shared/batcher.js";
import { mailBodies } from "./schema.js";

export type MailBody = { html: string; text: string };

/** Where a message's body is: the shared body's id, and what fills its slot in this message. */
export type BodyRef = { id: string; slot: string; fill: string };

/** Bodies kept in memory: a send's messages name a handful at a time (one per reader class and batch). */
const BODIES_KEPT = 32;
const BODIES_PER_QUERY = 50;
/** Bodies newer than this are kept even when no job names them yet (their jobs are being written). */
const UNNAMED_BODY_KEPT_MS = 24 * 60 * 60_000;

export async function storeMailBody(db: Queryable, body: MailBody, at: Date): Promise<string> {
  const [row] = await db
    .insert(mailBodies)
    .values({ ...body, createdAt: at })
    .returning({ id: mailBodies.id });
  if (!row) throw new Error("the message body was not stored");
  return row.id;
}

/**
 * The body `ref` names, as stored (its slot not filled); undefined when it is gone. Reads are shared by messages
 * sent together, and a kept body is the same object on every read, so what is made from it can be kept beside it.
 */
export function createBodyReader(db: Queryable): (ref: BodyRef) => Promise<MailBody | undefined> {
  const kept = new Map<string, MailBody>();
  const load = createBatcher(async (ids: string[]) => {
    const rows = await db
      .select()
      .from(mailBodies)
      .where(inArray(mailBodies.id, [...new Set(ids)]));
    const byId = new Map(rows.map((row) => [row.id, { html: row.html, text: row.text }]));
    return ids.map((id) => byId.get(id));
  }, BODIES_PER_QUERY);
  return async ({ id }) => {
    const known = kept.get(id);
    if (known) return known;
    const loaded = await load(id);
    if (!loaded) return undefined;
    // A read that loaded it meanwhile kept it first: every read gets that one object.
    const body = kept.get(id) ?? loaded;
    if (!kept.has(id) && kept.size >= BODIES_KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(id, body);
    return body;
  };
}

/** The body with `ref`'s fill in its slot, in both parts. */
export function fillBody(body: MailBody, { slot, fill }: Pick<BodyRef, "slot" | "fill">): MailBody {
  return { html: body.html.replaceAll(slot, fill), text: body.text.replaceAll(slot, fill) };
}

/** Deletes bodies no job names any more (their messages' jobs were pruned); how many. */
export async function pruneMailBodies(db: Queryable, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - UNNAMED_BODY_KEPT_MS);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`DELETE FROM mail_bodies b
         WHERE b.created_at < ${cutoff.toISOString()}::timestamptz
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.payload -> 'body' ->> 'id' = b.id::text)
        RETURNING b.id`,
  );
  return rows.length;
}
