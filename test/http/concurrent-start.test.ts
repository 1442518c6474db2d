/**
 * Two replicas starting at once on one PostgreSQL database, both told to create the owner and seed the demo:
 * both come up on the first try, with one owner and one demo newspaper between them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { type BuiltApp, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { queryRows } from "../../src/db/index.js";
import { createPostgresDatabase, testDatabaseUrl } from "../support/db.js";

const REPLICAS = 2;

describe.runIf(testDatabaseUrl())("replicas starting at once on one PostgreSQL database", () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test("both start, with exactly one owner and one copy of the demo", async () => {
    const database = await createPostgresDatabase();
    cleanups.push(database.drop);
    const configs = Array.from({ length: REPLICAS }, () => {
      const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-replica-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      return loadConfig({
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: "silent",
        SEED_DEMO: "true",
        SESSION_SECRET: "a shared secret of at least thirty-two characters",
        BROADSHEET_OWNER_EMAIL: "owner@paper.example",
        BROADSHEET_OWNER_PASSWORD: "correct horse battery staple",
      });
    });

    const started = await Promise.allSettled(configs.map((config) => buildApp(config)));
    for (const result of started) {
      if (result.status === "fulfilled") cleanups.push(() => result.value.app.close());
    }
    expect(started.map((r) => (r.status === "rejected" ? String(r.reason) : "started"))).toEqual(
      Array(REPLICAS).fill("started"),
    );
    const built = started.map((r) => (r as PromiseFulfilledResult<BuiltApp>).value);
    expect(built.map((b) => b.owner.kind).sort()).toEqual(["created", ...Array(REPLICAS - 1).fill("exists")]);

    const db = built[0]!.database.db;
    const [counts] = await queryRows<Record<string, number>>(
      db,
      sql`SELECT (SELECT count(*) FROM staff WHERE role = 'owner')::int AS owners,
        (SELECT count(*) FROM staff WHERE email = 'owner@paper.example')::int AS owner_accounts,
        (SELECT count(*) FROM site_settings)::int AS settings,
        (SELECT count(*) FROM sections)::int AS sections,
        (SELECT count(*) FROM articles)::int AS articles,
        (SELECT count(DISTINCT slug) FROM articles)::int AS distinct_slugs`,
    );
    expect(counts).toMatchObject({ owners: 1, owner_accounts: 1, settings: 1 });
    expect(counts?.articles).toBeGreaterThanOrEqual(30);
    expect(counts?.distinct_slugs).toBe(counts?.articles);
    const [title] = await queryRows<{ title: string }>(db, sql`SELECT title FROM site_settings`);
    expect(title?.title).not.toBe("Broadsheet");
  }, 180_000);
});

describe("the start-up writes on the embedded database", () => {
  test("create the owner and seed the demo in one go, and a restart finds them", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-embedded-"));
    try {
      const config = loadConfig({
        DATA_DIR: dataDir,
        LOG_LEVEL: "silent",
        SEED_DEMO: "true",
        BROADSHEET_OWNER_EMAIL: "owner@paper.example",
        BROADSHEET_OWNER_PASSWORD: "correct horse battery staple",
      });
      const first = await buildApp(config);
      expect(first.owner.kind).toBe("created");
      expect(first.notes.join("\n")).toContain("seeded the demo newspaper");
      await first.app.close();
      const second = await buildApp(config);
      try {
        expect(second.owner.kind).toBe("exists");
        expect(second.notes.join("\n")).not.toContain("seeded the demo newspaper");
        const [row] = await queryRows<{ owners: number }>(
          second.database.db,
          sql`SELECT count(*)::int AS owners FROM staff WHERE role = 'owner'`,
        );
        expect(row?.owners).toBe(1);
      } finally {
        await second.app.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
