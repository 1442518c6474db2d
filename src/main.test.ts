import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { copyTemplate } from "../test/support/db.js";
import { ConfigError } from "./config.js";
import { embeddedDatabaseError, lockDataDir } from "./db/index.js";
import { describeStartupError, runCommand, startedLines } from "./main.js";
import { Unavailable } from "./shared/errors.js";

const errno = (code: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code}: something, ${String(fields.syscall ?? "open")}`), { code, ...fields });
const circular: Record<string, unknown> = { name: "Loop" };
circular.self = circular;

describe("the line a failed start prints", () => {
  test.each([
    {
      what: "a full disk, writing the session secret",
      err: errno("ENOSPC", { syscall: "write", path: "/data/session-secret" }),
      line: "broadsheet: could not start: the disk is full (ENOSPC) at /data/session-secret: free some space, or set DATA_DIR to a disk with room",
    },
    {
      what: "a full disk, as PGlite throws it (an ErrnoError object, not an Error)",
      err: embeddedDatabaseError({ name: "ErrnoError", errno: 51 }, "/data/pgdata"),
      line: "broadsheet: could not start: the disk is full (ENOSPC) at /data/pgdata: free some space, or set DATA_DIR to a disk with room",
    },
    {
      what: "a read-only file system",
      err: errno("EROFS", { syscall: "mkdir", path: "/data" }),
      line: "broadsheet: could not start: the file system is read-only (EROFS) at /data: set DATA_DIR to a writable directory",
    },
    {
      what: "permission denied",
      err: errno("EACCES", { syscall: "open", path: "/data/session-secret" }),
      line: "broadsheet: could not start: permission denied (EACCES) at /data/session-secret: let the user running Broadsheet write there, or set DATA_DIR elsewhere",
    },
    {
      what: "an operation not permitted",
      err: errno("EPERM", { syscall: "open", path: "/data/broadsheet.pid" }),
      line: "broadsheet: could not start: operation not permitted (EPERM) at /data/broadsheet.pid: let the user running Broadsheet write there, or set DATA_DIR elsewhere",
    },
    {
      what: "a file where DATA_DIR's directory should be",
      err: errno("ENOTDIR", { syscall: "open", path: "/srv/file/data/session-secret" }),
      line: "broadsheet: could not start: part of the path is a file, not a directory (ENOTDIR) at /srv/file/data/session-secret: set DATA_DIR to a directory",
    },
    {
      what: "the data-dir lock held by another process",
      err: new Unavailable(
        "DATA_DIR_IN_USE",
        "DATA_DIR /data is in use by process 4242: the embedded database allows one process.",
      ),
      line: "broadsheet: DATA_DIR /data is in use by process 4242: the embedded database allows one process.",
    },
    {
      what: "the port in use",
      err: errno("EADDRINUSE", { syscall: "listen", address: "127.0.0.1", port: 3000 }),
      line: "broadsheet: could not start: 127.0.0.1:3000 is already in use (EADDRINUSE): stop the other server, or set PORT to a free port",
    },
    {
      what: "a privileged port",
      err: errno("EACCES", { syscall: "listen", address: "0.0.0.0", port: 80 }),
      line: "broadsheet: could not start: 0.0.0.0:80 needs privileges to listen on (EACCES): set PORT to 1024 or above",
    },
    {
      what: "the database unreachable",
      err: new Unavailable(
        "DATABASE_UNREACHABLE",
        "cannot reach the database at postgres://app@db:5432/paper: connect ECONNREFUSED 10.0.0.5:5432",
      ),
      line: "broadsheet: cannot reach the database at postgres://app@db:5432/paper: connect ECONNREFUSED 10.0.0.5:5432",
    },
    {
      what: "a bad setting",
      err: new ConfigError('PORT must be an integer from 0 to 65535 (got "http")'),
      line: 'broadsheet: PORT must be an integer from 0 to 65535 (got "http")',
    },
    {
      what: "an object thrown as it is",
      err: { name: "ErrnoError", errno: 51 },
      line: 'broadsheet: could not start: ErrnoError {"name":"ErrnoError","errno":51}',
    },
    {
      what: "an object that cannot be written as JSON",
      err: circular,
      line: "broadsheet: could not start: Loop",
    },
    { what: "a string thrown", err: "gone wrong", line: "broadsheet: could not start: gone wrong" },
    {
      what: "an error over several lines",
      err: new Error("first line\n  second line"),
      line: "broadsheet: could not start: first line second line",
    },
  ])("$what", ({ err, line }) => {
    expect(describeStartupError(err)).toBe(line);
    expect(describeStartupError(err)).not.toContain("[object Object]");
  });
});

describe("starting for real, in this process", () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), "broadsheet-start-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const failedStart = async (env: Record<string, string>) => {
    const err = await runCommand(["start"], {
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      SEED_DEMO: "false",
      ...env,
    }).then(
      () => {
        throw new Error("the server started");
      },
      (thrown: unknown) => thrown,
    );
    return describeStartupError(err);
  };

  test("a DATA_DIR under a regular file names the file system's answer and the path, not ENOENT", async () => {
    const file = join(scratch(), "a-file");
    writeFileSync(file, "");
    expect(await failedStart({ DATA_DIR: join(file, "data") })).toBe(
      `broadsheet: could not start: part of the path is a file, not a directory (ENOTDIR) at ${join(file, "data", "session-secret")}: set DATA_DIR to a directory`,
    );
  });

  test("a data-dir lock held by another process names the directory and the process", async () => {
    const dataDir = await copyTemplate("empty");
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const lock = lockDataDir(dataDir);
    cleanups.push(() => lock.release());
    expect(await failedStart({ DATA_DIR: dataDir })).toMatch(
      new RegExp(`^broadsheet: DATA_DIR ${dataDir} is in use by process ${process.pid}: `),
    );
  });

  test("a port in use names the address, and the data-dir lock is let go", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    const dataDir = await copyTemplate("empty");
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    expect(await failedStart({ DATA_DIR: dataDir, PORT: String(port) })).toBe(
      `broadsheet: could not start: 127.0.0.1:${port} is already in use (EADDRINUSE): stop the other server, or set PORT to a free port`,
    );
    expect(existsSync(join(dataDir, "broadsheet.pid"))).toBe(false);
  });

  test("an unreachable database server names its address, without the password", async () => {
    const line = await failedStart({
      DATA_DIR: scratch(),
      DATABASE_URL: "postgres://paper:hunter2hunter2@127.0.0.1:1/paper",
    });
    expect(line).toBe(
      "broadsheet: cannot reach the database at postgres://paper@127.0.0.1:1/paper: connect ECONNREFUSED 127.0.0.1:1",
    );
  });
});

describe("what a start prints last", () => {
  const config = { publicUrl: "http://localhost:3000" };

  test("where to go, the newsroom's address and how long it took, ending with the site's address", () => {
    const text = startedLines(config, { kind: "exists" }, 2345);
    expect(text).toContain("Started in 2.3 s. The newsroom: http://localhost:3000/admin");
    expect(text.trimEnd().split("\n").at(-1)).toBe("Open http://localhost:3000");
    expect(text).not.toContain("owner");
  });

  test("an owner created from the environment is named, and the one-time link is printed when there is none", () => {
    const created = startedLines(config, { kind: "created", email: "ed@example.com" }, 900);
    expect(created).toContain("Created the owner account ed@example.com from BROADSHEET_OWNER_EMAIL");
    const link = "http://localhost:3000/admin/setup?token=abc";
    const setup = startedLines(config, { kind: "setup-link", url: link }, 900);
    expect(setup).toContain(`Open this one-time link to create it:\n  ${link}\n`);
    expect(setup.trimEnd().split("\n").at(-1)).toBe("Open http://localhost:3000");
  });
});
