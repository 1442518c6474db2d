/** The newsroom app in a real browser: a reporter signs in, writes, publishes and schedules. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Clock, systemClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { closeContexts, sharedBrowser, signInToNewsroom } from "../support/browser.js";
import { api, makeStaff, signInAs } from "../support/newsroom.js";

const SCREENSHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

let app: TestApp;
let browser: Browser;
let editorEmail: string;
/** The editor's session, for the tests after the first: that one signs in through the form, as a person does. */
let editorCookie: string;
// The server's clock keeps to the wall clock, and is moved on when a test needs time to pass.
let ahead = 0;
const clock: Clock = { now: () => new Date(systemClock.now().getTime() + ahead) };

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp({ template: "demo", clock }), sharedBrowser()]);
  editorEmail = (await makeStaff(app, "editor")).email;
  editorCookie = await signInAs(app, editorEmail);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await closeContexts(browser);
  await app?.close();
});

// At the article list: an editor's landing is Today.
const signIn = async (page: Page) => {
  await signInToNewsroom(page, app.url, editorEmail, "/admin/articles");
  await page.locator(".article-table").waitFor();
};

/** A browser context holding the editor's session cookie: its pages are signed in without the form. */
async function signedInContext(): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, value] = editorCookie.split("=") as [string, string];
  await context.addCookies([{ name, value, url: app.url }]);
  return context;
}

const openArticleList = async (page: Page) => {
  await page.goto(`${app.url}/admin/articles`);
  await page.locator(".article-table").waitFor();
};

/** Opens a new article and fills what every article needs. */
async function startArticle(page: Page, title: string): Promise<void> {
  await page.getByRole("link", { name: "New article" }).click();
  await page.getByLabel("Headline").fill(title);
  await page.getByLabel("Dek").fill("The harbour authority's board met in public for the first time in a decade.");
  await page.getByLabel("Section").selectOption({ label: "Politics" });
}

test("an editor writes an article with a heading, a link, an image and tags, publishes it, and readers see it", async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // The page's timers run on a clock the test can move on: the autosave's pause (2.5 s) passes at once.
  await page.clock.install();
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  await signIn(page);
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-articles.png` });

  // A photo from a camera: the upload goes through the media library.
  const photo = join(mkdtempSync(join(tmpdir(), "broadsheet-photo-")), "harbour.jpg");
  writeFileSync(
    photo,
    await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 40, g: 90, b: 120 } } })
      .jpeg()
      .toBuffer(),
  );

  await startArticle(page, "Harbour board opens its doors");
  const body = page.getByRole("textbox", { name: "Article text" });
  await body.click();
  await page.keyboard.type("The board voted to publish its minutes. ");
  // A link: select a word, press Link, give the address.
  await page.keyboard.type("Read the decision");
  await page.keyboard.down("Shift");
  for (let i = 0; i < "Read the decision".length; i++) await page.keyboard.press("ArrowLeft");
  await page.keyboard.up("Shift");
  await page.getByRole("button", { name: "Link" }).click();
  await page.getByLabel("Address (leave empty to remove the link)").fill("https://harbour.example/decision");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect
    .poll(() => body.locator('a[href="https://harbour.example/decision"]').textContent())
    .toBe("Read the decision");
  // The editor takes focus back on the next frame (after the dialog, after the style menu), as a person sees it
  // do before typing on. Keys pressed before that would go elsewhere: the heading would replace the link text.
  const editorHasFocus = () => expect.poll(() => body.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await editorHasFocus();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.getByLabel("Text style").selectOption("h2");
  await editorHasFocus();
  await page.keyboard.type("What changes for the fishing fleet");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Berth fees stay as they are until the spring.");

  await page.getByRole("button", { name: "Image" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Upload a picture").setInputFiles(photo);
  await expect
    .poll(() => dialog.getByLabel("Image address").inputValue(), { timeout: 20_000 })
    .toMatch(/^\/media\/[0-9a-f-]+-1600x1000\.jpg$/);
  await dialog.getByLabel(/^Alt text/).fill("Boats moored in the old harbour at dawn");
  await dialog.getByLabel("Caption").fill("The old harbour, where the board wants a new quay.");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.locator(".editor-figure figcaption").textContent()).toContain("new quay");

  const tag = page.getByLabel("Add a tag");
  await tag.fill("Harbour authority");
  await tag.press("Enter");
  await tag.fill("Fishing");
  await tag.press("Enter");

  // The draft saves itself.
  await page.clock.fastForward(2_500);
  await expect.poll(() => page.locator(".save-state").textContent(), { timeout: 15_000 }).toMatch(/^Saved/);
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-editor.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-editor-phone.png` });
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.getByRole("button", { name: "Publish now" }).click();
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("Published");
  expect(pageErrors).toEqual([]);

  // An anonymous reader: the home page leads to it, and the page has everything the editor put in.
  const home = await app.get("/").then((r) => r.text());
  const path = home.match(/href="(\/politics\/harbour-board-opens-its-doors)"/)?.[1];
  expect(path).toBe("/politics/harbour-board-opens-its-doors");
  const reader = await browser.newPage();
  await reader.goto(`${app.url}${path}`);
  expect(await reader.locator("h1").textContent()).toBe("Harbour board opens its doors");
  expect(await reader.locator("article h2", { hasText: "What changes for the fishing fleet" }).count()).toBe(1);
  expect(await reader.locator('a[href="https://harbour.example/decision"]').textContent()).toBe("Read the decision");
  const figure = reader.locator("figure", { hasText: "new quay" });
  expect(await figure.locator("img").getAttribute("alt")).toBe("Boats moored in the old harbour at dawn");
  expect(await figure.locator('source[type="image/webp"]').getAttribute("srcset")).toContain("-800w.webp 800w");
  expect(await reader.locator("figure figcaption").last().textContent()).toContain("new quay");
  const tagLinks = await reader.locator('a[href^="/tag/"]').allTextContents();
  expect(tagLinks).toEqual(expect.arrayContaining(["Harbour authority", "Fishing"]));
  await reader.close();
  await page.close();
}, 90_000);

test("an editor schedules an article an hour ahead and it goes live on the scheduler's first run after that", async () => {
  const page = await (await signedInContext()).newPage();
  await openArticleList(page);
  await startArticle(page, "Night ferry timetable returns");
  await page.getByRole("textbox", { name: "Article text" }).click();
  await page.keyboard.type("The night ferry to the islands runs again from Monday.");
  await expect.poll(() => page.locator(".save-state").textContent(), { timeout: 15_000 }).toMatch(/^Saved/);

  await page.getByRole("button", { name: "Schedule" }).click();
  const at = await page.evaluate(() => {
    const d = new Date(Date.now() + 3_600_000);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  });
  await page.getByLabel("Publish at (your time zone)").fill(at);
  await page.getByRole("dialog").getByRole("button", { name: "Schedule" }).click();
  await expect.poll(() => page.locator(".alert-ok").textContent()).toContain("Scheduled");
  expect(await page.locator(".editor-state .badge").textContent()).toBe("Scheduled");

  const path = "/politics/night-ferry-timetable-returns";
  expect((await app.get(path)).status).toBe(404);
  // The hour passes at once. The scheduler runs every 15 seconds (test/http/newsroom-scheduling.test.ts);
  // this is the run after the time comes.
  expect(await app.built.scheduler.publishDue()).toEqual([]);
  ahead += 3_600_000;
  expect(await app.built.scheduler.publishDue()).toHaveLength(1);
  expect((await app.get(path)).status).toBe(200);
  expect(await app.get("/").then((r) => r.text())).toContain("Night ferry timetable returns");
  await page.context().close();
}, 90_000);

test("a slow first save does not make the article twice: typing meanwhile is saved into the same article", async () => {
  const page = await (await signedInContext()).newPage();
  // The page's timers run on a clock the test moves on: the autosave pauses (2.5 s) pass at once.
  await page.clock.install();
  await openArticleList(page);
  // The first save (the one that creates the article) is held until the pause between autosaves has passed.
  let creates = 0;
  let letCreateThrough = () => {};
  const createHeld = new Promise<void>((resolve) => {
    letCreateThrough = resolve;
  });
  await page.route("**/admin/api/articles", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    creates += 1;
    await createHeld;
    await route.continue();
  });
  await startArticle(page, "Lighthouse keeper retires after forty years");
  await page.getByRole("textbox", { name: "Article text" }).click();
  await page.clock.fastForward(2_500);
  await expect.poll(() => page.locator(".save-state").textContent(), { timeout: 10_000 }).toMatch(/^Saving/);
  await page.keyboard.type("She climbed the stairs every night. ");
  await page.clock.fastForward(3_500);
  await page.keyboard.type("The light is automatic now.");
  letCreateThrough();
  await page.clock.fastForward(2_500);
  await expect.poll(() => page.locator(".save-state").textContent(), { timeout: 30_000 }).toMatch(/^Saved/);

  expect(creates).toBe(1);
  const cookie = editorCookie;
  const found = await api(app, "GET", "/admin/api/articles?q=Lighthouse%20keeper", { cookie });
  const { articles } = (await found.json()) as { articles: { id: string }[] };
  expect(articles).toHaveLength(1);
  expect(page.url()).toContain(`/admin/articles/${articles[0]!.id}`);
  const article = await api(app, "GET", `/admin/api/articles/${articles[0]!.id}`, { cookie });
  expect(JSON.stringify(await article.json())).toContain("The light is automatic now.");
  await page.context().close();
}, 90_000);

test("two editors change one article at once: the second save shows both versions and overwrites nothing until asked", async () => {
  const context = await signedInContext();
  const first = await context.newPage();
  await openArticleList(first);
  await first
    .getByRole("link", { name: "Constitutional Court strikes down seat changes months before election" })
    .click();
  await first.getByLabel("Headline").waitFor();
  const second = await context.newPage();
  await second.goto(first.url());
  await second.getByLabel("Headline").waitFor();

  await first.getByLabel("Headline").fill("Court strikes down seat changes");
  await first.getByRole("button", { name: "Update" }).click();
  await expect.poll(() => first.locator(".save-state").textContent()).toMatch(/^Saved/);

  await second.getByLabel("Headline").fill("Judges void seat law");
  await second.getByRole("button", { name: "Update" }).click();
  const conflict = second.getByRole("alert").filter({ hasText: "Someone else saved this article" });
  await conflict.waitFor();
  expect(await conflict.locator(".diff-old").first().textContent()).toBe("Court strikes down seat changes");
  expect(await conflict.locator(".diff-new").first().textContent()).toBe("Judges void seat law");
  await second.screenshot({ path: `${SCREENSHOTS}newsroom-conflict.png` });
  const onServer = await app.get("/politics/constitutional-court-strikes-down-seat-changes-months-before-election");
  expect(await onServer.text()).toContain("Court strikes down seat changes");

  await conflict.getByRole("button", { name: "Save mine over it" }).click();
  await expect.poll(() => second.locator(".save-state").textContent()).toMatch(/^Saved/);
  await expect
    .poll(async () =>
      (await app.get("/politics/constitutional-court-strikes-down-seat-changes-months-before-election")).text(),
    )
    .toContain("Judges void seat law");
  await context.close();
}, 90_000);

test("the media library takes an upload, flags it until it has alt text, and keeps the words given", async () => {
  const page = await (await signedInContext()).newPage();
  await openArticleList(page);
  await page.getByRole("link", { name: "Media" }).click();
  const photo = join(mkdtempSync(join(tmpdir(), "broadsheet-photo-")), "ferry-at-dusk.png");
  writeFileSync(
    photo,
    await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 200, g: 120, b: 60 } } })
      .png()
      .toBuffer(),
  );
  await page.getByText("Upload images").locator("input[type=file]").setInputFiles(photo);
  const tile = page.locator(".media-tile", { hasText: "ferry-at-dusk.png" });
  await tile.waitFor({ timeout: 20_000 });
  expect(await tile.locator(".badge-warn").textContent()).toBe("No alt text");
  await tile.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Alt text").fill("The night ferry leaving Port Aster at dusk");
  await dialog.getByLabel("Credit").fill("Harbour Photo Desk");
  await dialog.getByRole("button", { name: "Save" }).click();
  const described = page.locator(".media-tile", { hasText: "The night ferry leaving Port Aster at dusk" });
  await described.waitFor();
  expect(await described.locator(".badge-warn").count()).toBe(0);
  await page.screenshot({ path: `${SCREENSHOTS}newsroom-media.png` });
  await page.context().close();
}, 60_000);
