/** The server as an operator runs it: restarts, a second process on one DATA_DIR, kill -9, an interrupted first start. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, type TestContext, test } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { copyTemplate } from "../support/db.js";
import { isReady, type Spawned, servingAt, spawnScript, spawnServer, waitFor } from "../support/processes.js";

/** The process is killed, if it still runs, when the test ends. */
function track(context: TestContext, p: Spawned): Spawned {
  context.onTestFinished(async () => {
    if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await p.exited;
  });
  return p;
}

/** The directory is removed when the test ends. */
function scratch(context: TestContext, dir: string): string {
  context.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
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

// Each test has its own processes, data directory and ports: they run side by side, so the file takes as long as
// its slowest test rather than all of them together. Limits are generous: the machine is shared with the suite.
describe.concurrent("running the server", { timeout: 240_000 }, () => {
  test("a restart keeps the demo paper without seeding it twice, and SIGTERM shuts down cleanly", async (context) => {
    const { expect } = context;
    const dataDir = scratch(context, mkdtempSync(join(tmpdir(), "broadsheet-restart-")));
    const first = track(context, spawnServer({ DATA_DIR: dataDir }));
    const url = await servingAt(first, 180_000);
    expect(await isReady(url)).toBe(true);
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/`)).status).toBe(200);
    // The demo's pictures are written while the server starts (its routes are built meanwhile): served at once.
    const picture = /\/media\/demo\/[a-z0-9-]+-1280\.webp/.exec(await (await fetch(`${url}/`)).text())?.[0];
    expect(picture && (await fetch(url + picture)).status).toBe(200);
    expect(first.output()).toContain("seeded the demo newspaper");
    expect(first.output()).toContain("/admin/setup?token=");
    // Beside the JSON log, plainly: where to go.
    expect(first.output()).toMatch(/^Open http:\/\/\S+$/m);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // One JSON line per request with its own id, the routed first read and the front door's repeats alike.
    const logLines = first
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map(
        (line) => JSON.parse(line) as { level: number; msg?: string; url?: string; status?: number; reqId?: string },
      );
    // A first start has nothing to warn of: no timer reaching for the database before it opened, no missing folder.
    expect(logLines.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([]);
    const homeReads = logLines.filter((line) => line.msg === "request" && line.url === "/");
    expect(homeReads.map((line) => line.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(homeReads.map((line) => line.reqId)).size).toBe(4);
    expect(existsSync(join(dataDir, "broadsheet.pid"))).toBe(false);
    const articles = await countRows(dataDir, sql`SELECT count(*)::int AS n FROM articles`);
    expect(articles).toBeGreaterThanOrEqual(30);

    const owner = {
      BROADSHEET_OWNER_EMAIL: "owner@example.com",
      BROADSHEET_OWNER_PASSWORD: "Quartz lantern 58 orbit!",
    };
    const second = track(context, spawnServer({ DATA_DIR: dataDir, ...owner }));
    expect(await isReady(await servingAt(second))).toBe(true);
    expect(second.output()).not.toContain("seeded the demo newspaper");
    expect(second.output()).toContain("Created the owner account owner@example.com from BROADSHEET_OWNER_EMAIL");
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(await countRows(dataDir, sql`SELECT count(*)::int AS n FROM articles`)).toBe(articles);
  });

  test("after kill -9 during writes every committed write is there and a restart works", async (context) => {
    const { expect } = context;
    const dataDir = scratch(context, await copyTemplate("empty"));
    const writer = track(context, spawnScript("test/support/write-loop.ts", [dataDir], {}));
    const committed = () =>
      writer
        .output()
        .split("\n")
        .filter((line) => /^[0-9a-f-]{36}$/.test(line));
    await waitFor("some committed writes", () => committed().length >= 40, 120_000);
    writer.child.kill("SIGKILL");
    await writer.exited;
    const ids = committed();
    // The restart runs in this process: what is checked is what the kill left, and the other tests start processes.
    const restarted = await buildApp(loadConfig({ DATA_DIR: dataDir, SEED_DEMO: "false", LOG_LEVEL: "silent" }));
    try {
      const rows = await queryRows<{ id: string }>(restarted.database.db, sql`SELECT id::text FROM sections`);
      const stored = new Set(rows.map((r) => r.id));
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
      expect((await restarted.app.inject({ url: "/readyz" })).statusCode).toBe(200);
    } finally {
      await restarted.app.close();
    }
  });

  test("a first start killed while creating the database is repaired on the next start", async (context) => {
    const { expect } = context;
    const dataDir = scratch(context, mkdtempSync(join(tmpdir(), "broadsheet-interrupted-")));
    const first = track(context, spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false" }));
    await waitFor("the database directory to appear", () => existsSync(join(dataDir, "pgdata")), 60_000);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(existsSync(join(dataDir, "pgdata.ready"))).toBe(false);

    const second = track(context, spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false" }));
    const url = await servingAt(second);
    expect(second.output()).toContain("an interrupted first start left");
    expect((await fetch(`${url}/about`)).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  // One server for both: the lock it takes over is the lock that then keeps the second process out.
  test("a stale lock file from a dead process is taken over, and a second process on that DATA_DIR is refused", async (context) => {
    const { expect } = context;
    const dataDir = scratch(context, await copyTemplate("empty"));
    // pid 2^22-1 is above Linux's default pid_max, so no live process has it.
    writeFileSync(join(dataDir, "broadsheet.pid"), "4194303 12345\n");
    const server = track(context, spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false" }));
    const url = await servingAt(server);
    expect(await isReady(url)).toBe(true);
    expect(readFileSync(join(dataDir, "broadsheet.pid"), "utf8")).toContain(String(server.child.pid));

    const second = track(context, spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false" }));
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/DATA_DIR .* is in use by process \d+/);
    expect(await isReady(url)).toBe(true);
  });
});
