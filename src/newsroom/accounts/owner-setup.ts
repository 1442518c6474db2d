/** The first account: from BROADSHEET_OWNER_EMAIL/PASSWORD, or through a one-time setup link. */
import { sql } from "drizzle-orm";
import * as content from "../../content/index.js";
import { type Db, queryRows } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { Conflict, Invalid, NotFound } from "../../shared/errors.js";
import { checkNewPassword, hashPassword } from "./passwords.js";
import { hashToken, newToken } from "./tokens.js";

const SETUP_LINK_DAYS = 7;

export type OwnerStatus = { kind: "exists" } | { kind: "created"; email: string } | { kind: "setup-link"; url: string };

export async function ensureOwner(
  deps: { db: Db; clock: Clock; publicUrl: string },
  owner: { email: string; password: string } | undefined,
): Promise<OwnerStatus> {
  if (await content.hasOwner(deps.db)) return { kind: "exists" };
  if (owner) {
    await checkOwnerPassword(owner);
    await content.createStaff(deps.db, {
      email: owner.email,
      name: owner.email.split("@")[0] ?? "Owner",
      role: "owner",
      passwordHash: await hashPassword(owner.password),
    });
    return { kind: "created", email: owner.email };
  }
  const token = newToken();
  const expiresAt = new Date(deps.clock.now().getTime() + SETUP_LINK_DAYS * 86_400_000);
  await deps.db.transaction(async (tx) => {
    // Only the newest link works: each start without an owner prints a fresh one.
    await tx.execute(sql`DELETE FROM setup_tokens`);
    await tx.execute(sql`INSERT INTO setup_tokens (token_hash, expires_at) VALUES (${hashToken(token)}, ${expiresAt})`);
  });
  return { kind: "setup-link", url: `${deps.publicUrl}/admin/setup?token=${token}` };
}

export async function isSetupTokenValid(deps: { db: Db; clock: Clock }, token: string): Promise<boolean> {
  const rows = await queryRows(
    deps.db,
    sql`SELECT 1 FROM setup_tokens WHERE token_hash = ${hashToken(token)} AND expires_at > ${deps.clock.now()}`,
  );
  return rows.length > 0;
}

export type OwnerSetupInput = { token: string; name: string; email: string; password: string };

export async function completeOwnerSetup(deps: { db: Db; clock: Clock }, input: OwnerSetupInput): Promise<void> {
  await checkNewPassword(input.password, input);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const used = await queryRows(
      tx,
      sql`DELETE FROM setup_tokens WHERE token_hash = ${hashToken(input.token)} AND expires_at > ${deps.clock.now()} RETURNING 1`,
    );
    if (used.length === 0) throw new NotFound("SETUP_LINK_INVALID", "This setup link has expired or was already used");
    if (await content.hasOwner(tx)) throw new Conflict("OWNER_EXISTS", "This site already has an owner");
    await content.createStaff(tx, { email: input.email, name: input.name, role: "owner", passwordHash });
  });
}

/** The same rule as every staff password, worded for whoever set BROADSHEET_OWNER_PASSWORD: start stops here. */
async function checkOwnerPassword(owner: { email: string; password: string }): Promise<void> {
  try {
    await checkNewPassword(owner.password, { email: owner.email });
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new Invalid(err.code, `BROADSHEET_OWNER_PASSWORD is refused: ${err.message}`, {
      property: "BROADSHEET_OWNER_PASSWORD",
      help: "Choose another, or unset both owner variables and create the owner through the setup link",
    });
  }
}
