/**
 * With the database out of reach, requests that need it answer 503 with Retry-After (a page in the site's
 * design, or the JSON envelope on APIs) instead of 500, pages already cached are still served, and what is
 * logged about the failed queries holds none of their values.
 */
import { rmSync } from "node:fs";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import pg from "pg";
import { afterEach, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { createPostgresDatabase, testDatabaseUrl } from "../support/db.js";
import { postForm } from "../support/members.js";
import { api, makeStaff, STAFF_PASSWORD, signInAs } from "../support/newsroom.js";

const READER_EMAIL = "outage-reader@example.test";

/** A TCP proxy on a loopback port to the PostgreSQL server: closing it cuts every connection and refuses new ones. */
async function startProxy(target: { host: string; port: number }, port = 0) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

type Outage = { app: TestApp; logs: string[]; cut(): Promise<void>; restore?(): Promise<void> };

/** The app with a reader-facing article cached, a signed-in staff member, and what it logged. */
async function prepare(app: TestApp) {
  const staff = await makeStaff(app, "editor");
  const cookie = await signInAs(app, staff.email);
  const article = await app.make.article({ title: "Harbour tolls rise" });
  const path = `/${article.section.slug}/${article.slug}`;
  // Read twice: the second read comes from the page cache, as every read will while the database is away.
  for (let i = 0; i < 2; i++) expect((await app.get(path)).status).toBe(200);
  expect((await app.get("/search?q=harbour")).status).toBe(200);
  return { staff, cookie, path };
}

async function expectUnavailable(res: Response, shape: "html" | "json") {
  const body = await res.text();
  expect(res.status, body.slice(0, 500)).toBe(503);
  expect(res.headers.get("retry-after")).toBe("5");
  if (shape === "json") {
    const error = (JSON.parse(body) as { errors: Record<string, unknown>[] }).errors[0];
    expect(error).toMatchObject({ type: "Unavailable", code: "DATABASE_UNAVAILABLE", id: expect.any(String) });
    expect(error?.message).toContain("cannot reach its database");
  } else {
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body).toContain("Back in a moment");
    expect(body).toContain("cannot reach its database");
    // The site's design: its masthead from the frame last read, its stylesheet.
    expect(body).toContain('class="masthead"');
    expect(body).toMatch(/<link rel="stylesheet" href="\/assets\/site\.[0-9a-f]+\.css"/);
  }
}

async function checkOutage(outage: Outage) {
  const { app, logs } = outage;
  const { staff, cookie, path } = await prepare(app);
  await outage.cut();

  await expectUnavailable(await app.get("/search?q=tolls"), "html");
  await expectUnavailable(await postForm(app, "/signin", { email: READER_EMAIL }), "html");
  await expectUnavailable(
    await api(app, "POST", "/admin/api/session", { body: { email: staff.email, password: STAFF_PASSWORD } }),
    "json",
  );
  await expectUnavailable(await api(app, "POST", "/admin/api/tags", { cookie, body: { name: "Ports" } }), "json");
  expect((await app.get(path)).status).toBe(200);
  expect((await app.get("/readyz")).status).toBe(503);

  const failures = logs.filter((line) => line.includes('"request failed"'));
  expect(failures.length).toBeGreaterThan(0);
  // The failed queries' values (the reader's and the staff member's addresses) are not in the log.
  expect(logs.join("\n")).not.toContain(READER_EMAIL);
  expect(logs.join("\n")).not.toContain(staff.email);

  if (outage.restore) {
    await outage.restore();
    await expect.poll(async () => (await app.get("/search?q=tolls")).status).toBe(200);
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.runIf(testDatabaseUrl())("PostgreSQL out of reach", () => {
  const server = new URL(testDatabaseUrl() ?? "postgres://localhost");
  const target = { host: server.hostname, port: Number(server.port || 5432) };

  test("connections cut and refused (the server stopped, the network gone) answer 503 until it is back", async () => {
    const database = await createPostgresDatabase();
    cleanups.push(database.drop);
    let proxy = await startProxy(target);
    cleanups.push(() => proxy.close());
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const logs: string[] = [];
    const app = await startApp({
      template: "empty",
      env: { DATABASE_URL: url.toString(), LOG_LEVEL: "error" },
      logStream: { write: (line) => logs.push(line) },
    });
    cleanups.push(() => app.close());
    await checkOutage({
      app,
      logs,
      cut: () => proxy.close(),
      restore: async () => {
        proxy = await startProxy(target, proxy.port);
      },
    });
  }, 120_000);

  test("its sessions terminated and the database gone (an administrator's shutdown, a rename) answer 503", async () => {
    const database = await createPostgresDatabase();
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}_gone WITH (FORCE)`);
      await admin.end();
      await database.drop();
    });
    const logs: string[] = [];
    const app = await startApp({
      template: "empty",
      env: { DATABASE_URL: database.url, LOG_LEVEL: "error" },
      logStream: { write: (line) => logs.push(line) },
    });
    cleanups.push(() => app.close());
    await checkOutage({
      app,
      logs,
      async cut() {
        // The app's pool may reconnect between the two statements; then the rename fails and is tried again.
        for (let attempt = 1; ; attempt++) {
          await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [name],
          );
          try {
            await admin.query(`ALTER DATABASE ${name} RENAME TO ${name}_gone`);
            return;
          } catch (err) {
            if (attempt === 20) throw err;
          }
        }
      },
    });
  }, 120_000);
});

describe("the embedded database closed under the app", () => {
  test("answers 503, and cached pages are still served", async () => {
    const logs: string[] = [];
    const app = await startApp({
      template: "empty",
      env: { LOG_LEVEL: "error" },
      logStream: { write: (line) => logs.push(line) },
    });
    cleanups.push(async () => {
      // The database is already closed: closing the app closes it again, which PGlite refuses.
      await app.close().catch(() => rmSync(app.dataDir, { recursive: true, force: true }));
    });
    await checkOutage({ app, logs, cut: () => app.built.database.close() });
  }, 120_000);
});
