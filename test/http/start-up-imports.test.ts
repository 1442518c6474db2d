/** What a start loads: libraries needed only sometimes wait for their first use (issue #15, "start fast"). */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { freePort } from "../support/app.js";
import { type Spawned, spawnServer, waitFor } from "../support/processes.js";

const RECORDER = fileURLToPath(new URL("../support/record-imports.mjs", import.meta.url));
const LOADED_WHEN_NEEDED = [
  "sharp",
  "satori",
  "@resvg/resvg-js",
  "stripe",
  "transliteration",
  "nodemailer",
  "pg",
  "@tryghost/nql-lang",
];

const running: Spawned[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The packages under node_modules whose files the process has loaded so far. */
function packagesLoaded(recordFile: string): Set<string> {
  const packages = readFileSync(recordFile, "utf8")
    .split("\n")
    .map((line) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
  return new Set(packages);
}

test("a first start (create, seed, serve) loads none of the libraries needed only sometimes; a share card then loads satori and resvg", async () => {
  const dir = mkdtempSync(join(tmpdir(), "broadsheet-imports-"));
  dirs.push(dir);
  const recordFile = join(dir, "loaded.txt");
  const port = await freePort();
  const server = spawnServer({
    DATA_DIR: join(dir, "data"),
    PORT: String(port),
    NODE_OPTIONS: `--import=${RECORDER}`,
    RECORD_IMPORTS_FILE: recordFile,
  });
  running.push(server);
  let home = "";
  await waitFor(
    "the front page",
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
      home = res?.status === 200 ? await res.text() : "";
      return home !== "";
    },
    120_000,
  );

  const atStart = packagesLoaded(recordFile);
  // The recorder sees both kinds of loading: ESM imports (fastify) and CommonJS requires inside them (avvio).
  expect(atStart).toContain("fastify");
  expect(atStart).toContain("avvio");
  expect(LOADED_WHEN_NEEDED.filter((name) => atStart.has(name))).toEqual([]);

  const article = [...home.matchAll(/href="\/([a-z0-9-]+)\/([a-z0-9-]+)"/g)].find(
    ([, first]) => !["section", "tag", "author"].includes(first!),
  )?.[2];
  const card = await fetch(`http://127.0.0.1:${port}/share/${article}.png`);
  expect(card.status).toBe(200);
  expect(card.headers.get("content-type")).toBe("image/png");
  const afterCard = packagesLoaded(recordFile);
  expect(afterCard).toContain("satori");
  expect(afterCard).toContain("@resvg/resvg-js");
  expect(afterCard.has("sharp")).toBe(false);
}, 180_000);
