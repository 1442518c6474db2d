import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError, loadConfig, renderEnvTable, resolveSessionSecret } from "./config.js";

describe("loadConfig", () => {
  test("defaults give an embedded database in ./data on port 3000", () => {
    const config = loadConfig({}, "/srv/paper");
    expect(config).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      publicUrl: "http://localhost:3000",
      dataDir: "/srv/paper/data",
      uploadMaxBytes: 20 * 1024 * 1024,
      databaseUrl: undefined,
      seedDemo: true,
      owner: undefined,
      pageCache: { enabled: true },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.pageCache)).toBe(true);
  });

  test.each([
    [{ PORT: "http" }, 'PORT must be an integer from 0 to 65535 (got "http")'],
    [{ PORT: "70000" }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ UPLOAD_MAX_MB: "0" }, 'UPLOAD_MAX_MB must be an integer from 1 to 200 (got "0")'],
    [{ SEED_DEMO: "maybe" }, 'SEED_DEMO must be true or false (got "maybe")'],
    [{ SEARCH_CONCURRENCY: "0" }, 'SEARCH_CONCURRENCY must be an integer from 1 to 10000 (got "0")'],
    [{ SEARCH_RATE_LIMIT: "-1" }, 'SEARCH_RATE_LIMIT must be an integer from 0 to 1000000 (got "-1")'],
    [{ RATE_LIMIT_WINDOW_S: "0" }, 'RATE_LIMIT_WINDOW_S must be an integer from 1 to 86400 (got "0")'],
    [{ LOAD_SHED_LAG_MS: "soon" }, 'LOAD_SHED_LAG_MS must be an integer from 0 to 60000 (got "soon")'],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL must be a URL starting with postgres: or postgresql://"],
    [{ PUBLIC_URL: "example.com" }, "PUBLIC_URL must be a URL starting with http: or https://"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET must be a string of at least 32 characters"],
    [{ BROADSHEET_OWNER_EMAIL: "a@b.co" }, "BROADSHEET_OWNER_EMAIL and BROADSHEET_OWNER_PASSWORD must be set together"],
    [
      { BROADSHEET_OWNER_EMAIL: "nope", BROADSHEET_OWNER_PASSWORD: "long enough pw" },
      "BROADSHEET_OWNER_EMAIL must be an email address",
    ],
  ])("%j stops start-up with one line naming the variable", (env, message) => {
    expect(() => loadConfig(env)).toThrowError(ConfigError);
    expect(() => loadConfig(env)).toThrowError(message);
  });

  test("load limits default to a bounded search share, per-IP rates per minute and gates per kind of work", () => {
    const config = loadConfig({});
    expect(config.pageCache.searchMaxBytes).toBe(16 * 1024 * 1024);
    expect(config.load).toEqual({
      maxLagMs: 50,
      gates: {
        search: { maxActive: 4, maxQueued: 32 },
        pages: { maxActive: 8, maxQueued: 64 },
        "content-api": { maxActive: 8, maxQueued: 64 },
      },
      rateWindowMs: 60_000,
      rateLimits: { search: 120, "content-api": 600 },
    });
    expect(Object.isFrozen(config.load.gates.search)).toBe(true);
  });

  test("every load limit is set from its variable, and 0 turns a rate limit or the lag watch off", () => {
    const config = loadConfig({
      SEARCH_CACHE_MB: "2",
      CONTENT_API_CACHE_MB: "3",
      SEARCH_RATE_LIMIT: "0",
      CONTENT_API_RATE_LIMIT: "30",
      RATE_LIMIT_WINDOW_S: "10",
      SEARCH_CONCURRENCY: "1",
      SEARCH_QUEUE: "0",
      PAGE_CONCURRENCY: "3",
      PAGE_QUEUE: "5",
      CONTENT_API_CONCURRENCY: "2",
      CONTENT_API_QUEUE: "7",
      LOAD_SHED_LAG_MS: "0",
    });
    expect(config.pageCache.searchMaxBytes).toBe(2 * 1024 * 1024);
    expect(config.pageCache.contentApiMaxBytes).toBe(3 * 1024 * 1024);
    expect(config.load).toEqual({
      maxLagMs: 0,
      gates: {
        search: { maxActive: 1, maxQueued: 0 },
        pages: { maxActive: 3, maxQueued: 5 },
        "content-api": { maxActive: 2, maxQueued: 7 },
      },
      rateWindowMs: 10_000,
      rateLimits: { search: 0, "content-api": 30 },
    });
  });

  test("PUBLIC_URL loses its trailing slash and the owner email is lower-cased", () => {
    const config = loadConfig({
      PUBLIC_URL: "https://news.example/",
      BROADSHEET_OWNER_EMAIL: "Editor@News.Example",
      BROADSHEET_OWNER_PASSWORD: "violet quarry anthem drizzle",
    });
    expect(config.publicUrl).toBe("https://news.example");
    expect(config.owner).toEqual({ email: "editor@news.example", password: "violet quarry anthem drizzle" });
  });

  test("the environment table lists every variable", () => {
    const table = renderEnvTable();
    for (const name of [
      "PORT",
      "HOST",
      "PUBLIC_URL",
      "DATA_DIR",
      "UPLOAD_MAX_MB",
      "DATABASE_URL",
      "SESSION_SECRET",
      "LOG_LEVEL",
      "SEED_DEMO",
      "SEARCH_CACHE_MB",
      "CONTENT_API_CACHE_MB",
      "SEARCH_RATE_LIMIT",
      "CONTENT_API_RATE_LIMIT",
      "RATE_LIMIT_WINDOW_S",
      "SEARCH_CONCURRENCY",
      "SEARCH_QUEUE",
      "PAGE_CONCURRENCY",
      "PAGE_QUEUE",
      "CONTENT_API_CONCURRENCY",
      "CONTENT_API_QUEUE",
      "LOAD_SHED_LAG_MS",
    ]) {
      expect(table).toContain(`| \`${name}\` |`);
    }
  });
});

describe("resolveSessionSecret", () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), "broadsheet-secret-"));

  test("is made once and read back on the next start", () => {
    const dir = dataDir();
    try {
      const config = loadConfig({ DATA_DIR: dir });
      const made = resolveSessionSecret(config);
      expect(made.length).toBeGreaterThanOrEqual(32);
      expect(resolveSessionSecret(config)).toBe(made);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file that cannot be written is the error, not a missing file read afterwards", () => {
    const dir = dataDir();
    try {
      writeFileSync(join(dir, "file"), "");
      expect(() => resolveSessionSecret(loadConfig({ DATA_DIR: join(dir, "file", "data") }))).toThrowError(
        expect.objectContaining({ code: "ENOTDIR" }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an empty secret file (a start that ran out of disk) is refused, never used to sign cookies", () => {
    const dir = dataDir();
    try {
      writeFileSync(join(dir, "session-secret"), "\n");
      expect(() => resolveSessionSecret(loadConfig({ DATA_DIR: dir }))).toThrowError(
        /session-secret holds no usable secret \(0 characters, at least 32 needed\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
