/** The browser project's own preparation: the newsroom app's bundle and the run's Chromium. */
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { findBrowser } from "./find-browser.js";

declare module "vitest" {
  export interface ProvidedContext {
    browserPath: string;
  }
}

export default async function setup(project: TestProject) {
  // The browser tests drive the newsroom app as staff use it: its bundle, built only when its sources changed.
  execFileSync(process.execPath, ["scripts/ensure-built.mjs", "admin"], { stdio: "inherit" });
  project.provide("browserPath", await findBrowser());
}
