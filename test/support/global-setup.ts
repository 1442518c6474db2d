/**
 * Builds two embedded data directories once per run (migrated; one with the demo newspaper, one empty) so
 * each test starts from a copy in milliseconds instead of creating a database. The integration and browser
 * projects both list this file; whichever starts first builds them, the other reuses them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";

declare module "vitest" {
  export interface ProvidedContext {
    demoTemplateDir: string;
    emptyTemplateDir: string;
  }
}

type Templates = { root: string; demo: string; empty: string };

async function buildTemplate(dir: string, seedDemo: boolean): Promise<void> {
  const config = loadConfig({ DATA_DIR: dir, SEED_DEMO: String(seedDemo), LOG_LEVEL: "silent" });
  const built = await buildApp(config);
  await built.app.close();
}

async function buildTemplates(): Promise<Templates> {
  const root = mkdtempSync(join(tmpdir(), "broadsheet-templates-"));
  const templates = { root, demo: join(root, "demo"), empty: join(root, "empty") };
  await Promise.all([buildTemplate(templates.demo, true), buildTemplate(templates.empty, false)]);
  return templates;
}

// Each project loads its global setup files on its own, in the one Vitest process: the run's templates are kept
// on the process, not in this module.
const run = globalThis as { broadsheetTemplates?: Promise<Templates> };

export default async function setup(project: TestProject) {
  const isFirst = run.broadsheetTemplates === undefined;
  run.broadsheetTemplates ??= buildTemplates();
  const templates = await run.broadsheetTemplates;
  project.provide("demoTemplateDir", templates.demo);
  project.provide("emptyTemplateDir", templates.empty);
  if (!isFirst) return;
  return () => rmSync(templates.root, { recursive: true, force: true });
}
