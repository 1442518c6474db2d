/** The server as an operator runs it: restarts, a second process on one DATA_DIR, kill -9, an interrupted first start. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { freePort } from "../support/app.js";
import { copyTemplate } from "../support/db.js";
import { isReady, type Spawned, spawnScript, spawnServer, waitFor } from "../support/processes.js";

const running: Spawned[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function track(p: Spawned): Spawned {
  running.push(p);
  return p;
}

async function countRows(dataDir: string, query: ReturnType<typeof sql>): Promise<number> {
  const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  try {
    const [row] = await queryRows<{ n: number }>(database.db, query);
    return Number(row?.n);
  } finally {
    await database.close();
  }
}

describe("running the server", () => {
  test("a restart keeps the demo paper without seeding it twice, and SIGTERM shuts down cleanly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-restart-"));
    dirs.push(dataDir);
    const port = await freePort();
    const first = track(spawnServer({ DATA_DIR: dataDir, PORT: String(port) }));
    await waitFor("first start", () => isReady(port), 120_000);
    for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    expect(first.output()).toContain("seeded the demo newspaper");
    expect(first.output()).toContain("/admin/setup?token=");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // One JSON line per request with its own id, the routed first read and the front door's repeats alike.
    const homeReads = first
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg?: string; url?: string; status?: number; reqId?: string })
      .filter((line) => line.msg === "request" && line.url === "/");
    expect(homeReads.map((line) => line.status)).toEqual([200, 200, 200]);
    expect(new Set(homeReads.map((line) => line.reqId)).size).toBe(3);
    expect(existsSync(join(dataDir, "broadsheet.pid"))).toBe(false);
    const articles = await countRows(dataDir, sql`SELECT count(*)::int AS n FROM articles`);
    expect(articles).toBeGreaterThanOrEqual(30);

    const second = track(spawnServer({ DATA_DIR: dataDir, PORT: String(port) }));
    await waitFor("second start", () => isReady(port));
    expect(second.output()).not.toContain("seeded the demo newspaper");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(await countRows(dataDir, sql`SELECT count(*)::int AS n FROM articles`)).toBe(articles);
  }, 180_000);

  test("a second process on the same DATA_DIR refuses to start and says why", async () => {
    const dataDir = copyTemplate("demo");
    dirs.push(dataDir);
    const port = await freePort();
    track(spawnServer({ DATA_DIR: dataDir, PORT: String(port) }));
    await waitFor("first process", () => isReady(port));
    const second = track(spawnServer({ DATA_DIR: dataDir, PORT: String(await freePort()) }));
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by process \d+/);
    expect(await isReady(port)).toBe(true);
  }, 60_000);

  test("after kill -9 during writes every committed write is there and a restart works", async () => {
    const dataDir = copyTemplate("empty");
    dirs.push(dataDir);
    const writer = track(spawnScript("test/support/write-loop.ts", [dataDir], {}));
    const committed = () =>
      writer
        .output()
        .split("\n")
        .filter((line) => /^[0-9a-f-]{36}$/.test(line));
    await waitFor("some committed writes", () => committed().length >= 40, 60_000);
    writer.child.kill("SIGKILL");
    await writer.exited;
    const ids = committed();
    const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
    try {
      const rows = await queryRows<{ id: string }>(database.db, sql`SELECT id::text FROM sections`);
      const stored = new Set(rows.map((r) => r.id));
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await database.close();
    }
    const port = await freePort();
    track(spawnServer({ DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: "false" }));
    await waitFor("restart after kill -9", () => isReady(port));
  }, 120_000);

  test("a first start killed while creating the database is repaired on the next start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "broadsheet-interrupted-"));
    dirs.push(dataDir);
    const port = await freePort();
    const first = track(spawnServer({ DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: "false" }));
    await waitFor("the database directory to appear", () => existsSync(join(dataDir, "pgdata")), 30_000);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(join(dataDir, "pgdata.ready"))).toBe(false);

    const second = track(spawnServer({ DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: "false" }));
    await waitFor("start after an interrupted first start", () => isReady(port), 60_000);
    expect(second.output()).toContain("an interrupted first start left");
    expect((await fetch(`http://127.0.0.1:${port}/about`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  }, 120_000);

  test("a stale lock file from a dead process is taken over", async () => {
    const dataDir = copyTemplate("empty");
    dirs.push(dataDir);
    // pid 2^22-1 is above Linux's default pid_max, so no live process has it.
    await import("node:fs").then((fs) => fs.writeFileSync(join(dataDir, "broadsheet.pid"), "4194303 12345\n"));
    const port = await freePort();
    const server = track(spawnServer({ DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: "false" }));
    await waitFor("start over a stale lock", () => isReady(port));
    expect(readFileSync(join(dataDir, "broadsheet.pid"), "utf8")).toContain(String(server.child.pid));
  }, 60_000);
});
