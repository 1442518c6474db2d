/** `broadsheet content-api-key:create|list|revoke`: the keys an integration reads the Content API with. */
import { rmSync } from "node:fs";
import { afterAll, expect, test } from "vitest";
import { runCli } from "../support/cli.js";
import { copyTemplate } from "../support/db.js";
import { spawnScript } from "../support/processes.js";

const dataDir = await copyTemplate("empty");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir, LOG_LEVEL: "silent" });

test("a key is created as 26 hex characters, listed, and revoked by its id", async () => {
  const created = await cli("content-api-key:create", "Mobile", "app");
  expect(created.code).toBe(0);
  const key = created.output.trim();
  expect(key).toMatch(/^[0-9a-f]{26}$/);

  const listed = await cli("content-api-key:list");
  const line = listed.output.split("\n").find((l) => l.includes(key))!;
  expect(line).toMatch(/ {2}active {2}Mobile app$/);
  const id = line.split("  ")[0]!;

  expect((await cli("content-api-key:revoke", id)).output).toContain(`revoked ${id} (Mobile app)`);
  expect((await cli("content-api-key:list")).output).toMatch(new RegExp(`${key} .+ {2}revoked {2}Mobile app`));
});

test("a missing name, an unknown id or an unknown command exits 1 with a reason", async () => {
  const noName = await cli("content-api-key:create");
  expect(noName).toMatchObject({ code: 1, output: expect.stringContaining("needs a name") });
  const unknown = await cli("content-api-key:revoke", "not-an-id");
  expect(unknown).toMatchObject({
    code: 1,
    output: expect.stringContaining('No active content API key has the id "not-an-id"'),
  });
  expect(await cli("content-api-key:rotate")).toMatchObject({ code: 1, output: expect.stringContaining("usage:") });
});

test("run as a program, a command prints its answer and the process ends with status 0", async () => {
  const run = spawnScript("src/main.ts", ["content-api-key:create", "Smoke"], {
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
  });
  expect(await run.exited).toBe(0);
  expect(run.output()).toMatch(/^[0-9a-f]{26}\n$/);
}, 60_000);
