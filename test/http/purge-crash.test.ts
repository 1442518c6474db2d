/**
 * No purge is lost across a crash. The command line creates a Content API key, a change the edge must hear of
 * (`content-api-keys`), and exits at once, sending nothing: its purge jobs were written with the change. A server
 * started next sends the purge and is killed (kill -9) while the edge holds the request; the server started after
 * it sends it again, and the second purge after it.
 */

import { rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { runCli } from "../support/cli.js";
import { copyTemplate } from "../support/db.js";
import { type Spawned, servingAt, spawnServer, waitFor } from "../support/processes.js";

const dataDir = await copyTemplate("empty");
const servers: Spawned[] = [];
let edge: Server;
let env: Record<string, string>;
/** Every purge the edge was offered, answered or not. */
const offered: string[][] = [];
/** Each purge the edge confirmed. */
const accepted: string[][] = [];
/** While set, the edge holds each purge without answering. */
let holding: ServerResponse[] | undefined = [];

beforeAll(async () => {
  edge = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const { keys } = JSON.parse(body) as { keys: string[] };
      offered.push(keys);
      if (holding) {
        holding.push(res);
        return;
      }
      accepted.push(keys);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => edge.listen(0, "127.0.0.1", resolve));
  env = {
    DATA_DIR: dataDir,
    SEED_DEMO: "false",
    CDN_PROVIDER: "webhook",
    CDN_PURGE_URL: `http://127.0.0.1:${(edge.address() as AddressInfo).port}/purge`,
    CDN_REPURGE_SECONDS: "1",
    // A short lease, so the restarted server claims the dead one's job within seconds.
    JOB_LEASE_SECONDS: "2",
  };
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  edge.closeAllConnections();
  await new Promise((resolve) => edge.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): Spawned {
  const server = spawnServer(env);
  servers.push(server);
  return server;
}

test("a purge whose sender was killed mid-request is sent after the restart, and its second purge after it", {
  timeout: 300_000,
}, async () => {
  const created = await runCli(["content-api-key:create", "Crash", "test"], { ...env, LOG_LEVEL: "silent" });
  expect(created.code).toBe(0);
  // The command sends no purge itself: its jobs wait in the queue.
  expect(offered).toEqual([]);

  const first = start();
  await servingAt(first);
  await waitFor("the purge to reach the edge", () => offered.length >= 1, 120_000);
  first.child.kill("SIGKILL");
  await first.exited;
  // The dead server's request is refused now (its connection is gone anyway); later ones are confirmed.
  const held = holding ?? [];
  holding = undefined;
  for (const res of held) res.writeHead(503).end();

  const second = start();
  await servingAt(second);
  await waitFor("both purges confirmed", () => accepted.length === 2, 120_000);
  expect(accepted).toEqual([["content-api-keys"], ["content-api-keys"]]);
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  try {
    const jobs = await queryRows<{ status: string; isRepurge: boolean }>(
      database.db,
      sql`SELECT status, payload->'isRepurge' IS NOT NULL AS "isRepurge" FROM jobs WHERE kind = 'cdn:purge'
          ORDER BY run_at`,
    );
    expect(jobs).toEqual([
      { status: "succeeded", isRepurge: false },
      { status: "succeeded", isRepurge: true },
    ]);
  } finally {
    await database.close();
  }
});
