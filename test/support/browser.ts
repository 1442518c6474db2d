/** The run's Chromium (see find-browser.ts) through playwright-core, with the flags that keep it off the network. */
import { type Browser, chromium } from "playwright-core";
import { inject } from "vitest";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject("browserPath"),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
