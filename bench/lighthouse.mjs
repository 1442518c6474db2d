// `npm run bench:lighthouse`: Lighthouse (its default mobile profile: a mid-range phone, simulated slow 4G and a
// 4× slower CPU) on the reader pages of the demo paper, served by the built server on a fresh data dir. Pages: the
// front page, a section, an article behind the wall as an anonymous reader sees it (the preview) and as a
// subscriber does (the full text, with a subscriber's session cookie signed by the server's own code), search,
// /subscribe and /account (a reader signed in through the emailed link, received by an SMTP server the bench
// starts on loopback). The browser is the one the browser tests use (test/support/find-browser.ts: BROWSER_PATH,
// a system Chromium, or @sparticuz/chromium). Prints one row per page; the goals are ≥ 95 performance and 100
// accessibility. Lighthouse's scores come from a simulation, so a loaded machine moves performance by a few
// points: the report's first line gives the load average.
//
//   npm run bench:lighthouse                      # every page
//   npm run bench:lighthouse -- --runs=3          # each page 3 times, the median run (by performance) reported
//   npm run bench:lighthouse -- --json=out.json   # also write every run's scores and figures as JSON
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { findBrowser } from "../test/support/find-browser.ts";
import { HOST, ROOT, runBench } from "./lib/processes.mjs";
import { freshDir, frontPageLinks, startServer, subscriberCookie } from "./lib/server.mjs";
import { markdownTable } from "./lib/table.mjs";

const DATA_DIR = join(ROOT, ".bench-data", "lighthouse");
const SESSION_SECRET = randomBytes(32).toString("base64url");
const READER_EMAIL = "lighthouse.reader@example.test";
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** A loopback SMTP server that hands over the next message's text for an address. */
async function startMailbox() {
  const waiting = new Map();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          for (const rcpt of session.envelope.rcptTo) waiting.get(rcpt.address.toLowerCase())?.(mail.text ?? "");
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  return {
    url: `smtp://${HOST}:${server.server.address().port}`,
    nextText: (to) => new Promise((resolve) => waiting.set(to, resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const formHeaders = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" };

/** Signs a reader in as a browser would: the form, the emailed link, the link page's POST; returns the cookie. */
async function signIn(base, mailbox, email) {
  const mail = mailbox.nextText(email);
  const asked = await fetch(`${base}/signin`, { method: "POST", headers: formHeaders, body: `email=${email}` });
  if (asked.status !== 200) throw new Error(`POST /signin answered ${asked.status}`);
  const link = (await mail).match(/https?:\/\/\S+\/signin\/verify\?\S+/)?.[0];
  if (!link) throw new Error("the sign-in email has no /signin/verify link");
  const token = new URL(link).searchParams.get("token");
  const verified = await fetch(`${base}/signin/verify`, {
    method: "POST",
    headers: formHeaders,
    body: new URLSearchParams({ token }).toString(),
    redirect: "manual",
  });
  const cookie = verified.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("bs_session=") && c !== "bs_session=");
  if (!cookie) throw new Error(`POST /signin/verify answered ${verified.status} without a session cookie`);
  return cookie;
}

/** The pages to audit, found in the front page so the bench follows whatever the demo content is. */
async function discoverPages(base, memberCookie) {
  const { section, articles } = await frontPageLinks(base);
  let walled;
  for (const path of articles) {
    const html = await (await fetch(base + path)).text();
    if (html.includes('class="paywall"')) {
      walled = path;
      break;
    }
  }
  if (!section || !walled) throw new Error("the front page links no section or no article behind the wall");
  const subscriber = await subscriberCookie(SESSION_SECRET);
  const full = await (await fetch(base + walled, { headers: { cookie: subscriber } })).text();
  if (full.includes('class="paywall"')) throw new Error(`the subscriber cookie did not open ${walled}`);
  return [
    { name: "front page", path: "/" },
    { name: "section", path: section },
    { name: "article, preview", path: walled },
    { name: "article, full (subscriber)", path: walled, cookie: subscriber },
    { name: "search", path: "/search?q=election" },
    { name: "subscribe", path: "/subscribe" },
    { name: "account", path: "/account", cookie: memberCookie },
  ];
}

/** One Lighthouse run (mobile profile) of `page`: the scores out of 100 and the figures the table shows. */
async function audit(port, base, page) {
  const flags = {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices"],
    ...(page.cookie ? { extraHeaders: { Cookie: page.cookie } } : {}),
  };
  const result = await lighthouse(base + page.path, flags);
  const { categories, audits, finalDisplayedUrl, runtimeError } = result.lhr;
  if (runtimeError) throw new Error(`Lighthouse on ${page.path}: ${runtimeError.message}`);
  if (new URL(finalDisplayedUrl).pathname !== new URL(base + page.path).pathname) {
    throw new Error(`${page.path} ended at ${finalDisplayedUrl} (a sign-in that did not hold?)`);
  }
  const score = (id) => Math.round((categories[id]?.score ?? 0) * 100);
  const failing = (id) =>
    categories[id].auditRefs
      .filter((ref) => ref.weight > 0 && audits[ref.id].score !== null && audits[ref.id].score < 1)
      .map((ref) => ref.id);
  return {
    page: page.name,
    path: page.path,
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    lcpMs: audits["largest-contentful-paint"].numericValue,
    cls: audits["cumulative-layout-shift"].numericValue,
    tbtMs: audits["total-blocking-time"].numericValue,
    bytes: audits["total-byte-weight"].numericValue,
    failing: { accessibility: failing("accessibility"), bestPractices: failing("best-practices") },
    shifts: (audits["layout-shifts"]?.details?.items ?? []).map((item) => ({
      score: item.score,
      element: item.node?.selector,
      causes: (item.subItems?.items ?? []).map((cause) => cause.cause),
    })),
  };
}

function report(rows, runs, version) {
  const cells = rows.map((r) => [
    r.page,
    String(r.performance),
    String(r.accessibility),
    String(r.bestPractices),
    `${(r.lcpMs / 1000).toFixed(1)} s`,
    r.cls.toFixed(3),
    `${Math.round(r.tbtMs)} ms`,
    `${Math.round(r.bytes / 1024)} KiB`,
  ]);
  const header = ["page", "performance", "accessibility", "best practices", "LCP", "CLS", "TBT", "bytes"];
  const misses = rows
    .filter((r) => r.performance < 95 || r.accessibility < 100 || r.bestPractices < 100)
    .map(
      (r) =>
        `- ${r.page}: ${[...r.failing.accessibility, ...r.failing.bestPractices].join(", ") || "performance only"}`,
    );
  return [
    `Lighthouse ${version}, mobile profile (simulated throttling), ${runs === 1 ? "one run" : `median of ${runs} runs`} per page; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")} at the end`,
    "",
    markdownTable(header, cells, [false, true, true, true, true, true, true, true]),
    "",
    misses.length
      ? `Below the goals (≥ 95 performance, 100 accessibility and best practices):\n${misses.join("\n")}`
      : "Every page meets the goals.",
  ].join("\n");
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "1" }, json: { type: "string" } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number >= 1 (got ${values.runs})`);
  const log = (message) => process.stderr.write(`${message}\n`);

  freshDir(DATA_DIR);
  const mailbox = await startMailbox();
  log("Starting the server on a fresh demo paper…");
  const server = await startServer({ SESSION_SECRET, DATA_DIR, SEED_DEMO: "true", SMTP_URL: mailbox.url });
  const chrome = await chromeLauncher.launch({ chromePath: await findBrowser(), chromeFlags: CHROME_FLAGS });
  try {
    const pages = await discoverPages(server.base, await signIn(server.base, mailbox, READER_EMAIL));
    const all = [];
    const rows = [];
    for (const page of pages) {
      const results = [];
      for (let run = 1; run <= runs; run++) {
        log(`  ${page.name} (${page.path})${runs > 1 ? `, run ${run}` : ""}…`);
        if (server.child.exitCode !== null || server.child.signalCode !== null) {
          const end = server.child.exitCode ?? server.child.signalCode;
          throw new Error(`the server stopped (${end}) before ${page.path}:\n${server.child.outputTail()}`);
        }
        results.push(await audit(chrome.port, server.base, page));
      }
      all.push(...results);
      rows.push(results.sort((a, b) => a.performance - b.performance)[Math.floor(results.length / 2)]);
    }
    const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules/lighthouse/package.json"), "utf8"));
    process.stdout.write(`\n${report(rows, runs, version)}\n`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(all, null, 2)}\n`);
  } finally {
    chrome.kill();
    await mailbox.close();
  }
}

runBench(main, "bench:lighthouse");
