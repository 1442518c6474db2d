// `npm run bench:layout-shifts`: every layout shift a phone (390×844) sees on the front page, a section and an
// article of the demo paper, with the elements that moved, from Chromium's own layout-shift entries. The web fonts
// are held back until the page has painted (as on a slow connection), so the swap from the fallback font to the
// web font happens on every run; the report names the fonts the text was drawn in meanwhile (Chromium's platform
// fonts for a serif and a sans element), so a figure is never read as a phone's when this machine had only
// DejaVu. CLS is Lighthouse's: the largest sum of shifts within one session window (1 s gaps, 5 s at most).
//
//   npm run bench:layout-shifts                                # this checkout
//   npm run bench:layout-shifts -- --before=/path/to/checkout  # also another built checkout, page by page
//   npm run bench:layout-shifts -- --json=out.json             # also write every shift as JSON
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { findBrowser } from "../test/support/find-browser.ts";
import { ROOT, runBench } from "./lib/processes.mjs";
import { freshDir, frontPageLinks, startServer } from "./lib/server.mjs";
import { markdownTable } from "./lib/table.mjs";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
/** How long the fonts are held after the first paint: long enough that the fallback is laid out and painted. */
const FONT_HOLD_MS = 1500;

/** The pages, found in the front page so the bench follows the demo content. */
async function discoverPages(base) {
  const { section, articles } = await frontPageLinks(base);
  const article = articles[0];
  if (!section || !article) throw new Error("the front page links no section or no article");
  return [
    { name: "front page", path: "/" },
    { name: "section", path: section },
    { name: "article", path: article },
  ];
}

/** Runs in the page before its own scripts: keeps every shift with a description of what moved. */
function observeShifts() {
  const describe = (node) => {
    if (node?.nodeType !== 1) return node ? `text in <${node.parentElement?.localName}>` : "(removed)";
    const classes = [...node.classList].map((c) => `.${c}`).join("");
    const text = node.textContent.trim().replace(/\s+/g, " ").slice(0, 40);
    return `${node.localName}${node.id ? `#${node.id}` : ""}${classes}${text ? ` "${text}"` : ""}`;
  };
  window.__shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const sources = entry.sources.map((s) => ({
        element: describe(s.node),
        moved: `${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)} px, ${Math.round(s.previousRect.height)}→${Math.round(s.currentRect.height)} high`,
      }));
      window.__shifts.push({ time: Math.round(entry.startTime), value: entry.value, sources });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

/** Lighthouse's CLS: session windows of shifts less than 1 s apart and at most 5 s long; the largest sum. */
function cumulativeLayoutShift(shifts) {
  let largest = 0;
  let window = { start: -Infinity, last: -Infinity, sum: 0 };
  for (const { time, value } of shifts) {
    if (time - window.last > 1000 || time - window.start > 5000) window = { start: time, last: time, sum: 0 };
    window.sum += value;
    window.last = time;
    largest = Math.max(largest, window.sum);
  }
  return largest;
}

/** The platform fonts Chromium drew the first visible serif and sans text in (whichever face they came through). */
async function fontsDrawn(page, cdp) {
  await page.evaluate(() => {
    for (const [kind, family] of [
      ["serif", "Source Serif"],
      ["sans", "Inter"],
    ]) {
      const hasText = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const element = [...document.querySelectorAll("body *")].find(
        (e) =>
          hasText(e) && e.checkVisibility() && getComputedStyle(e).fontFamily.replaceAll('"', "").startsWith(family),
      );
      element?.setAttribute("data-font-probe", kind);
    }
  });
  const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
  const drawn = {};
  for (const kind of ["serif", "sans"]) {
    const { nodeId } = await cdp.send("DOM.querySelector", {
      nodeId: root.nodeId,
      selector: `[data-font-probe=${kind}]`,
    });
    if (!nodeId) continue;
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    drawn[kind] = fonts.map((f) => f.familyName).join(" + ");
  }
  return drawn;
}

async function measure(browser, base, path) {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    let releaseFonts;
    const fontsHeld = new Promise((resolve) => {
      releaseFonts = resolve;
    });
    await page.route(/\.woff2$/, async (route) => {
      await fontsHeld;
      await route.continue();
    });
    await page.addInitScript(observeShifts);
    const cdp = await context.newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    await page.goto(base + path, { waitUntil: "domcontentloaded" });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const beforeFonts = await fontsDrawn(page, cdp);
    await page.waitForTimeout(FONT_HOLD_MS);
    releaseFonts();
    await page.waitForLoadState("networkidle");
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(500);
    const afterFonts = await fontsDrawn(page, cdp);
    const shifts = await page.evaluate(() => window.__shifts);
    return { cls: cumulativeLayoutShift(shifts), shifts, beforeFonts, afterFonts };
  } finally {
    await context.close();
  }
}

function report(rows) {
  const cells = rows.map((r) => [
    r.page,
    r.checkout,
    r.cls.toFixed(3),
    `${r.beforeFonts.serif ?? "-"} / ${r.beforeFonts.sans ?? "-"}`,
    `${r.afterFonts.serif ?? "-"} / ${r.afterFonts.sans ?? "-"}`,
  ]);
  const header = ["page", "checkout", "CLS", "drawn in while fonts load (serif / sans)", "then (serif / sans)"];
  const details = rows.flatMap((r) =>
    r.shifts.length === 0
      ? []
      : [
          `- ${r.page}, ${r.checkout}:`,
          ...r.shifts.flatMap((s) => [
            `  - ${s.value.toFixed(4)} at ${s.time} ms`,
            ...s.sources.map((source) => `    - ${source.element} (${source.moved})`),
          ]),
        ],
  );
  return [
    `Layout shifts on a 390×844 phone viewport, web fonts held ${FONT_HOLD_MS} ms after the first paint; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")} at the end`,
    "",
    markdownTable(header, cells, [false, false, true, false, false]),
    "",
    details.length ? `Shifts and the elements that moved:\n${details.join("\n")}` : "No layout shifts.",
  ].join("\n");
}

async function main() {
  const { values } = parseArgs({ options: { before: { type: "string" }, json: { type: "string" } } });
  const log = (message) => process.stderr.write(`${message}\n`);
  const checkouts = [{ name: values.before ? "after" : "this", cwd: ROOT }];
  if (values.before) checkouts.unshift({ name: "before", cwd: resolve(values.before) });
  const sessionSecret = randomBytes(32).toString("base64url");
  for (const checkout of checkouts) {
    const dataDir = join(ROOT, ".bench-data", `layout-shifts-${checkout.name}`);
    freshDir(dataDir);
    log(`Starting the server of ${checkout.cwd} on a fresh demo paper…`);
    const env = { SESSION_SECRET: sessionSecret, DATA_DIR: dataDir, SEED_DEMO: "true" };
    checkout.server = await startServer(env, { cwd: checkout.cwd });
  }
  const browser = await chromium.launch({
    executablePath: await findBrowser(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-quic"],
  });
  try {
    const rows = [];
    for (const page of await discoverPages(checkouts.at(-1).server.base)) {
      for (const checkout of checkouts) {
        log(`  ${page.name} (${page.path}), ${checkout.name}…`);
        rows.push({
          page: page.name,
          checkout: checkout.name,
          ...(await measure(browser, checkout.server.base, page.path)),
        });
      }
    }
    process.stdout.write(`\n${report(rows)}\n`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
  } finally {
    await browser.close();
  }
}

runBench(main, "bench:layout-shifts");
