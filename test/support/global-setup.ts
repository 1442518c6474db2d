/**
 * Builds two embedded data directories once per run (migrated; one with the demo newspaper, one empty) so
 * each test starts from a copy in milliseconds instead of creating a database, and finds the browser.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { findBrowser } from "./find-browser.js";

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplateDir: string;
    emptyTemplateDir: string;
    browserPath: string;
  }
}

async function buildTemplate(dir: string, seedDemo: boolean): Promise<void> {
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: String(seedDemo), LOG_LEVEL: "silent" });
  const built = await buildApp(config);
  await built.app.close();
}

export default async function setup(project: TestProject) {
  // The browser tests drive the newsroom app as staff use it: its bundle, built only when its sources changed.
  execFileSync(process.execPath, ["scripts/ensure-built.mjs", "admin"], { stdio: "inherit" });
  const root = mkdtempSync(join(tmpdir(), "broadsheet-templates-"));
  const demo = join(root, "demo");
  const empty = join(root, "empty");
  const [browserPath] = await Promise.all([findBrowser(), buildTemplate(demo, true), buildTemplate(empty, false)]);
  project.provide("browserPath", browserPath);
  project.provide("demoTemplateDir", demo);
  project.provide("emptyTemplateDir", empty);
  return () => rmSync(root, { recursive: true, force: true });
}
