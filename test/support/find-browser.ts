/**
 * The Chromium the browser tests drive, found once per run: BROWSER_PATH when set, else a system Chromium or
 * Chrome, else the one `npm ci` installs with @sparticuz/chromium (unpacked into the temporary directory on first
 * use, a few seconds, then reused).
 */
import { existsSync } from "node:fs";

const SYSTEM_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const chosen = env.BROWSER_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`BROWSER_PATH is ${chosen}, and there is no file there.`);
    return chosen;
  }
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system) return system;
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}
