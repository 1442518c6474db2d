/**
 * The server as the build bundles it (scripts/bundle-server.mjs), which no other test runs: the other spawned
 * servers are the per-file compiled copy of src/. Bundled into a scratch folder laid out as the checkout is (src/,
 * admin/ and node_modules/ linked beside its dist/), so the files it finds from its code root and the packages it
 * leaves external resolve as they do from dist/.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, inject, test } from "vitest";
import { copyTemplate } from "../support/db.js";
import { servingAt, spawnServer } from "../support/processes.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(inject("testScratchDir"), "bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test("the bundled server starts on an empty paper: its pages, styles, newsroom app and database answer", async () => {
  for (const linked of ["src", "admin", "node_modules"]) symlinkSync(join(ROOT, linked), join(scratch, linked));
  mkdirSync(join(scratch, "dist"));
  execFileSync(process.execPath, ["scripts/bundle-server.mjs", join(scratch, "dist")], { cwd: ROOT });

  const dataDir = await copyTemplate("empty");
  const server = spawnServer(
    {
      DATA_DIR: dataDir,
      SEED_DEMO: "false",
      // Creating the owner hashes the password (a native addon) and rates it (a chunk loaded on first use).
      BROADSHEET_OWNER_EMAIL: "owner@example.com",
      BROADSHEET_OWNER_PASSWORD: "Quartz lantern 58 orbit!",
    },
    join(scratch, "dist/main.js"),
  );
  try {
    const url = await servingAt(server);
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    const stylesheet = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(await home.text())?.[1];
    expect(stylesheet && (await fetch(url + stylesheet)).status).toBe(200);
    // The search page reads the database (settings, sections and the search itself).
    expect((await fetch(`${url}/search?q=budget`)).status).toBe(200);
    expect(await (await fetch(`${url}/admin`)).text()).toContain("/admin/assets/");
    expect((await fetch(`${url}/admin/api/openapi.json`)).status).toBe(200);
    expect(server.output()).not.toContain("/admin/setup?token=");
  } finally {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  }
}, 120_000);
