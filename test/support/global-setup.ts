/**
 * Two embedded data directories (migrated; one with the demo newspaper, one empty) so each test starts from a
 * copy in milliseconds instead of creating a database. Building them takes the better part of a minute, so they
 * are kept in node_modules/.cache under a hash of everything they are made from (src/ and the locked
 * dependencies) and built again only when that changes. The integration and browser projects both list this
 * file; whichever starts first builds them, the other waits for the same build.
 */
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplateDir: string;
    emptyTemplateDir: string;
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "node_modules/.cache/broadsheet-test-templates");
const HOUR = 3_600_000;

type Templates = { demo: string; empty: string };

/** What the templates are made of: src/ but its tests (code, migrations, the demo paper), the lock file, this file. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => !/\.test\.tsx?$/.test(file))
    .sort();
  for (const file of [...files.map((f) => join("src", f)), "package-lock.json", "test/support/global-setup.ts"]) {
    try {
      hash.update(file).update(readFileSync(join(ROOT, file)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EISDIR") throw err;
    }
  }
  return hash.digest("hex").slice(0, 16);
}

async function buildTemplate(dir: string, seedDemo: boolean): Promise<void> {
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: String(seedDemo), LOG_LEVEL: "silent" });
  const built = await buildApp(config);
  await built.app.close();
}

async function cachedTemplates(): Promise<Templates> {
  const key = sourceHash();
  const dir = join(CACHE, key);
  const templates = { demo: join(dir, "demo"), empty: join(dir, "empty") };
  if (existsSync(dir)) {
    // Marks them as in use, for the clean-up below in other runs.
    utimesSync(dir, new Date(), new Date());
    return templates;
  }
  mkdirSync(CACHE, { recursive: true });
  // Templates made from other sources are of no more use once no run has used them for an hour.
  for (const other of readdirSync(CACHE)) {
    const path = join(CACHE, other);
    if (statSync(path).mtimeMs < Date.now() - HOUR) rmSync(path, { recursive: true, force: true });
  }
  const building = mkdtempSync(join(CACHE, `${key}.building-`));
  try {
    await Promise.all([buildTemplate(join(building, "demo"), true), buildTemplate(join(building, "empty"), false)]);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    throw err;
  }
  try {
    renameSync(building, dir);
  } catch (err) {
    // Another run built the same templates first: use those.
    if (!existsSync(dir)) throw err;
    rmSync(building, { recursive: true, force: true });
  }
  return templates;
}

// Each project loads its global setup files on its own, in the one Vitest process: the build in progress is kept
// on the process, not in this module.
const run = globalThis as { broadsheetTemplates?: Promise<Templates> };

export default async function setup(project: TestProject) {
  run.broadsheetTemplates ??= cachedTemplates();
  const templates = await run.broadsheetTemplates;
  project.provide("demoTemplateDir", templates.demo);
  project.provide("emptyTemplateDir", templates.empty);
}
