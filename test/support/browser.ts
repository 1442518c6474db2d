/** The run's Chromium (see find-browser.ts) through playwright-core, with the flags that keep it off the network. */
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { startApp, type TestApp } from "./app.js";
import { STAFF_PASSWORD } from "./newsroom.js";

function launchBrowser(): Promise<Browser> {
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

let running: Promise<Browser> | undefined;

/**
 * The test process's Chromium: launched by the first file that asks, kept for the files the process runs after it
 * (a launch costs a second or more of CPU on a busy machine, thirteen times a run). Files share no state through it:
 * every page is in a browser context of its own, and `closeContexts` closes those a file leaves open as it ends.
 * Playwright ends Chromium with the process.
 */
export function sharedBrowser(): Promise<Browser> {
  running ??= launchBrowser().then(
    (browser) => {
      browser.once("disconnected", () => {
        running = undefined;
      });
      return browser;
    },
    (err: unknown) => {
      running = undefined;
      throw err;
    },
  );
  return running;
}

/** Closes every context (and so every page) a file opened in the shared browser: its afterAll. */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  await Promise.all((browser?.contexts() ?? []).map((context) => context.close()));
}

/** One copy of the demo paper and the browser for the file: readers only read, each in a context of their own. */
export function demoPaperInBrowser(): { app: TestApp; browser: Browser } {
  const env = {} as { app: TestApp; browser: Browser };
  beforeAll(async () => {
    [env.app, env.browser] = await Promise.all([startApp({ template: "demo" }), sharedBrowser()]);
  });
  afterAll(async () => {
    await closeContexts(env.browser);
    await env.app?.close();
  });
  return env;
}

/**
 * Signs `email` in to the newsroom through its sign-in form at `path`, as a person would, and waits for the menu
 * and the screen the app settles on: `/admin` opens on the landing (Today for editors and up, else the articles).
 */
export async function signInToNewsroom(page: Page, appUrl: string, email: string, path = "/admin"): Promise<void> {
  await page.goto(appUrl + path);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Newsroom" }).waitFor();
  if (path === "/admin") await page.waitForURL(/\/admin\/(dashboard|articles)$/);
  await page.locator("h1").first().waitFor();
}
