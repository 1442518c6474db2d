import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { copyTemplate, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { type Database, embeddedDatabase, loadPgliteDriver } from "./client.js";
import { startPgliteWorker } from "./pglite-in-worker.js";
import { queryRows } from "./tx.js";

let opened: TestDatabase;
let database: Database;
beforeAll(async () => {
  opened = await openTestDatabase("pglite");
  database = opened.database;
});
afterAll(async () => {
  await opened.close();
});
beforeEach(async () => {
  await database.exec("DROP TABLE IF EXISTS notes; CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL UNIQUE)");
});

const bodies = async () =>
  (await queryRows<{ body: string }>(database.db, sql`SELECT body FROM notes ORDER BY id`)).map((r) => r.body);
const insert = (id: number, body: string) => sql`INSERT INTO notes (id, body) VALUES (${id}, ${body})`;
/** The error PostgreSQL raised, under drizzle's wrapper. */
const rootCause = (err: unknown): Record<string, unknown> => {
  let at = err as { cause?: unknown };
  while (at.cause) at = at.cause as { cause?: unknown };
  return at as Record<string, unknown>;
};
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

test("the event loop keeps turning while the embedded database runs heavy queries back to back", async () => {
  // In-process, PGlite's promise chain never yielded: a 5 ms timer fired 0 times in seconds of queries. Counted
  // here: the share of 5 ms windows in which a 1 ms timer ran at all (a late tick does not push the later ones
  // back), while the database works and, to compare with, while nothing runs; a machine busy with other work
  // lowers both shares alike.
  const tickShare = async (work: (started: number) => Promise<void>) => {
    const windows = new Set<number>();
    const started = performance.now();
    const timer = setInterval(() => windows.add(Math.floor((performance.now() - started) / 5)), 1);
    try {
      await work(started);
    } finally {
      clearInterval(timer);
    }
    return windows.size / ((performance.now() - started) / 5);
  };
  const idle = await tickShare(() => new Promise((resolve) => setTimeout(resolve, 750)));
  let queries = 0;
  const busy = await tickShare(async (started) => {
    while (performance.now() - started < 1500) {
      await queryRows(
        database.db,
        sql`SELECT count(*) FROM (SELECT md5(g::text) FROM generate_series(1, 60000) g ORDER BY 1) sorted`,
      );
      queries++;
    }
  });
  expect(queries).toBeGreaterThan(1);
  expect(idle).toBeGreaterThan(0);
  expect(busy).toBeGreaterThanOrEqual(idle * 0.5);
});

test("a transaction commits, and one that throws leaves nothing behind", async () => {
  await database.db.transaction(async (tx) => {
    await tx.execute(insert(1, "kept"));
  });
  const failure = new Error("changed my mind");
  await expect(
    database.db.transaction(async (tx) => {
      await tx.execute(insert(2, "dropped"));
      throw failure;
    }),
  ).rejects.toBe(failure);
  expect(await bodies()).toEqual(["kept"]);
});

test("a nested transaction rolls back to its savepoint and the outer one still commits", async () => {
  await database.db.transaction(async (tx) => {
    await tx.execute(insert(1, "outer"));
    await expect(
      tx.transaction(async (inner) => {
        await inner.execute(insert(2, "inner"));
        throw new Error("inner fails");
      }),
    ).rejects.toThrow("inner fails");
    await tx.transaction(async (inner) => {
      await inner.execute(insert(3, "second inner"));
    });
  });
  expect(await bodies()).toEqual(["outer", "second inner"]);
});

test("transactions started together run one after the other", async () => {
  const order: string[] = [];
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const first = database.db.transaction(async (tx) => {
    order.push("first begins");
    await tx.execute(insert(1, "first"));
    await held;
    order.push("first ends");
  });
  await expect.poll(() => order).toContain("first begins");
  const second = database.db.transaction(async (tx) => {
    order.push("second begins");
    const seen = await queryRows<{ body: string }>(tx, sql`SELECT body FROM notes`);
    order.push(`second sees ${seen.map((r) => r.body).join(",")}`);
  });
  await turns(20);
  release();
  await Promise.all([first, second]);
  expect(order).toEqual(["first begins", "first ends", "second begins", "second sees first"]);
});

test("a unique violation arrives with PostgreSQL's code, constraint and detail", async () => {
  await database.db.execute(insert(1, "same"));
  const err = await database.db.execute(insert(2, "same")).catch((e: unknown) => e);
  expect(rootCause(err)).toMatchObject({
    code: "23505",
    constraint: "notes_body_key",
    table: "notes",
    severity: "ERROR",
    detail: "Key (body)=(same) already exists.",
  });
  const inExec = await database.exec("INSERT INTO notes VALUES (3, 'same')").catch((e: unknown) => e);
  expect(inExec).toMatchObject({ code: "23505", message: expect.stringContaining("notes_body_key") });
});

test("timestamps, dates and intervals come back as PostgreSQL wrote them, as drizzle asks", async () => {
  const [row] = await queryRows<Record<string, unknown>>(
    database.db,
    sql`SELECT '2026-03-01 12:00:00+00'::timestamptz AS at, '2026-03-01'::date AS day, '1 day'::interval AS span,
               '{"a": [1, 2]}'::jsonb AS doc, 42::int4 AS n, '\\x0102'::bytea AS bytes`,
  );
  expect(row).toEqual({
    at: "2026-03-01 12:00:00+00",
    day: "2026-03-01",
    span: "1 day",
    doc: { a: [1, 2] },
    n: 42,
    bytes: new Uint8Array([1, 2]),
  });
});

test("a NOTIFY reaches the listener, and stops once it unlistens", async () => {
  const heard: string[] = [];
  const unlisten = await database.listen("worker_test", (payload) => heard.push(payload));
  await database.notify("worker_test", "one");
  await expect.poll(() => heard).toEqual(["one"]);
  await unlisten();
  await database.notify("worker_test", "two");
  await database.exec("SELECT 1");
  expect(heard).toEqual(["one"]);
});

test("advisory locks and exec work through the worker", async () => {
  const rows = await database.withAdvisoryLock(4242, (exec) => exec("SELECT 1 AS one; SELECT 2 AS two"));
  expect(rows).toEqual([{ one: 1 }, { two: 2 }]);
});

test("close() resolves, and every later call says the database is closed", async () => {
  const { database: own } = await openOwn();
  await own.close();
  await expect(own.exec("SELECT 1")).rejects.toThrow("the embedded database is closed");
  const err = await own.db.execute(sql`SELECT 1`).catch((e: unknown) => e);
  expect(rootCause(err)).toMatchObject({ code: "DATABASE_CLOSED" });
});

test("a worker that dies rejects the calls in flight and every later one, and reports it once", async () => {
  const fatal: Error[] = [];
  const { worker, database: own } = await openOwn((err) => fatal.push(err));
  const inFlight = own.exec("SELECT count(*) FROM generate_series(1, 3000000)").catch((e: unknown) => e);
  await worker.terminate();
  expect(await inFlight).toMatchObject({ code: "DATABASE_STOPPED" });
  await expect(own.exec("SELECT 1")).rejects.toThrow("the embedded database stopped");
  expect(fatal.map((e) => e.message)).toEqual(["the embedded database stopped: its thread exited with code 1"]);
  await own.close();
});

test("a query option that cannot cross to the worker is refused, not ignored", async () => {
  const { worker, database: own } = await openOwn();
  try {
    await expect(
      worker.client.query("SELECT 1", [], { parsers: { 23: (v: string) => Number(v) * 2 } }),
    ).rejects.toThrow("the parser for type 23 changes values");
  } finally {
    await own.close();
  }
});

// One database each: opening one can take many seconds on a busy machine.
test.each([
  { told: "unset", cacheMb: undefined, shown: "16MB" },
  { told: "48", cacheMb: 48, shown: "48MB" },
])("PostgreSQL runs with shared_buffers of $shown when DATABASE_CACHE_MB is $told", async (row) => {
  const own = await openOwn(undefined, row.cacheMb);
  try {
    const [shown] = await queryRows<{ shared_buffers: string }>(own.database.db, sql`SHOW shared_buffers`);
    expect(shown?.shared_buffers).toBe(row.shown);
  } finally {
    await own.database.close();
  }
});

/** A database on its own worker, from a copy of the empty template, with the worker at hand. */
async function openOwn(onFatal?: (err: Error) => void, cacheMb?: number) {
  const dataDir = await copyTemplate("empty");
  const worker = await startPgliteWorker(join(dataDir, "pgdata"), { ...(onFatal ? { onFatal } : {}), cacheMb });
  const own = embeddedDatabase(worker, await loadPgliteDriver());
  return {
    worker,
    database: {
      ...own,
      async close() {
        await own.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    },
  };
}
