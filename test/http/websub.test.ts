/**
 * WebSub: publishing, editing, correcting or unpublishing an article, and renaming a listing, tells the configured
 * hub which feeds changed, through the job queue, as WebSub's publishers do (POST, form-encoded `hub.mode=publish`
 * and `hub.url`). The hub is a stand-in on loopback that records what it is sent and, as a hub does, fetches each
 * feed it is told of before it answers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { waitFor } from "../support/processes.js";

type Ping = { method: string; path: string; contentType: string; params: [string, string][] };

const SITE = "http://news.example.test";
let app: TestApp;
let hub: Server;
const pings: Ping[] = [];
/** Statuses the hub answers with next, before going back to 204. */
const refusals: number[] = [];
/** The body of each feed as the hub fetched it when pinged, latest last. */
const fetched = new Map<string, string[]>();

beforeAll(async () => {
  hub = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const params = [...new URLSearchParams(body).entries()];
      pings.push({
        method: req.method ?? "",
        path: req.url ?? "",
        contentType: req.headers["content-type"] ?? "",
        params,
      });
      const feed = params.find(([name]) => name === "hub.url")?.[1];
      // As a hub does: fetch the feed it was told of at once, from the site (the paper's address is a stand-in).
      const reading = feed
        ? fetch(feed.replace(SITE, app.url)).then(async (answer) => {
            fetched.set(feed, [...(fetched.get(feed) ?? []), await answer.text()]);
          })
        : Promise.resolve();
      void reading.finally(() => {
        res.statusCode = refusals.shift() ?? 204;
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
  const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
  app = await startApp({
    template: "demo",
    env: { WEBSUB_HUB_URL: hubUrl, PUBLIC_URL: SITE },
    // Due jobs are seen within 50 ms, and a refused ping is tried again 100 ms later rather than 5 s.
    jobTimings: { pollMs: 50, backoff: { baseMs: 100, maxMs: 1_000 } },
  });
});
afterAll(async () => {
  // The hub fetches from the app while it answers a ping: every ping is answered before the app stops.
  const unfinished = async () =>
    (
      await queryRows<{ n: number }>(
        app.db,
        sql`SELECT count(*)::int AS n FROM jobs WHERE kind = ${content.FEEDS_CHANGED_JOB} AND status IN ('queued', 'running')`,
      )
    )[0]?.n;
  await until("the last pings", async () => (await unfinished()) === 0, 60_000);
  await app.close();
  hub.closeAllConnections();
  await new Promise((resolve) => hub.close(resolve));
}, 120_000);

/**
 * Brings the pings waiting out their delay (FEED_PING_DELAY_SECONDS, by the database's clock) forward to now, as
 * a test clock is advanced: what is pinged is unchanged, only not seconds later. The one test about the delay
 * waits it out for real.
 */
async function pingsDueNow(): Promise<void> {
  await app.db.execute(
    sql`UPDATE jobs SET run_at = now() WHERE kind = ${content.FEEDS_CHANGED_JOB} AND status = 'queued' AND run_at > now()`,
  );
}

/** Waits for `ready`, the delayed pings brought forward on each look. */
function until(what: string, ready: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void> {
  return waitFor(
    what,
    async () => {
      await pingsDueNow();
      return ready();
    },
    timeoutMs,
  );
}

const pinged = (feed: string) =>
  pings.filter((p) => p.params.some(([name, value]) => name === "hub.url" && value === feed));

/** The three formats of the paper's feed and of the listings' feeds the article is in. */
function feedsOf(article: { section: { slug: string }; author: { slug: string } }, tag: string): string[] {
  const bases = [
    "/feed",
    `/section/${article.section.slug}/feed`,
    `/tag/${tag}/feed`,
    `/author/${article.author.slug}/feed`,
  ];
  return bases.flatMap((base) => ["", "/atom", "/json"].map((suffix) => `${SITE}${base}${suffix}`));
}

async function retitle(id: string, title: string) {
  const fields = await content.readArticleFields(app.db, id);
  const [row] = await queryRows<{ version: number }>(app.db, sql`SELECT version FROM articles WHERE id = ${id}`);
  const deps = { db: app.db, clock: app.built.clock };
  const result = await content.editArticle(deps, { id, baseVersion: row?.version ?? 0, fields: { ...fields, title } });
  if (result.kind !== "saved") throw new Error("the edit was refused");
}

describe("WebSub", () => {
  test("publishing pings the hub once for each feed the article is in, every format, in WebSub's shape", async () => {
    const article = await app.make.article({ title: "Night trains return", status: "draft", tags: ["Rail links"] });
    const feeds = feedsOf(article, "rail-links");
    await app.publish(article.id);
    await until("the hub to hear of every feed", () => feeds.every((feed) => pinged(feed).length > 0));
    for (const feed of feeds) {
      const [ping] = pinged(feed);
      expect(ping).toEqual({
        method: "POST",
        path: "/hub",
        contentType: "application/x-www-form-urlencoded",
        params: [
          ["hub.mode", "publish"],
          ["hub.url", feed],
        ],
      });
    }
  });

  test("editing a published article pings its feeds again; saving a draft pings nothing", async () => {
    const article = await app.make.article({ title: "Ferry fares frozen", status: "draft", tags: ["Fares"] });
    const feeds = feedsOf(article, "fares");
    await retitle(article.id, "Ferry fares frozen for a year");
    await app.publish(article.id);
    // The paper's feed, the section's and the author's are shared with other tests' articles; the tag's are its own.
    const counts = () => feeds.map((feed) => pinged(feed).length);
    const own = (feed: string) => feed.includes("/tag/fares/");
    await until("the pings of the publication", () => counts().every((n) => n >= 1));
    expect(feeds.filter(own).map((feed) => pinged(feed).length)).toEqual([1, 1, 1]);
    const published = counts();
    await retitle(article.id, "Ferry fares frozen until 2028");
    await until("the pings of the edit", () => counts().every((n, i) => n > published[i]!));
    expect(feeds.filter(own).map((feed) => pinged(feed).length)).toEqual([2, 2, 2]);
  });

  test("a hub that refuses is asked again by the queue until it accepts", async () => {
    const article = await app.make.article({ title: "Lighthouse for sale", status: "draft", tags: ["Coast"] });
    const feeds = feedsOf(article, "coast");
    const first = feeds[0]!;
    const earlier = pinged(first).length;
    refusals.push(503);
    await app.publish(article.id);
    const job = async () =>
      (
        await queryRows<{ attempts: number; status: string }>(
          app.db,
          sql`SELECT attempts, status FROM jobs
              WHERE kind = ${content.FEEDS_CHANGED_JOB} AND payload->'articleIds' ? ${article.id}`,
        )
      )[0];
    // The queue's first retry waits its backoff (100 ms here, 5 s by default).
    await until("the job to succeed on a later attempt", async () => (await job())?.status === "succeeded", 120_000);
    expect((await job())?.attempts).toBe(2);
    // The refused first ping was asked again; the rest of the job's feeds were asked once, on the retry.
    expect(pinged(first).length - earlier).toBe(2);
    expect(feeds.filter((feed) => feed.includes("/tag/coast/")).map((feed) => pinged(feed).length)).toEqual([1, 1, 1]);
  });
});

describe("WebSub beyond publishing", () => {
  let editor: StaffAccount;
  beforeAll(async () => {
    editor = await signedInStaff(app, "admin");
  });
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await api(app, method, `/admin/api${path}`, { cookie: editor.cookie, body });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return res.status === 204 ? undefined : res.json();
  };
  const formatsOf = (base: string) => ["", "/atom", "/json"].map((suffix) => `${SITE}${base}/feed${suffix}`);
  const pingedSince = (feeds: string[], before: number[]) => feeds.every((feed, i) => pinged(feed).length > before[i]!);
  const counts = (feeds: string[]) => feeds.map((feed) => pinged(feed).length);
  async function editFields(id: string, change: (fields: Record<string, unknown>) => Record<string, unknown>) {
    const { article } = (await send("GET", `/articles/${id}`)) as {
      article: { version: number; fields: Record<string, unknown> };
    };
    await send("PUT", `/articles/${id}`, { baseVersion: article.version, fields: change(article.fields) });
  }

  test("a hub fetching the feed the moment it is pinged gets the new headline", async () => {
    const article = await app.make.article({ title: "Cable car approved", status: "draft", tags: ["Cable cars"] });
    await app.publish(article.id);
    const tagFeed = `${SITE}/tag/cable-cars/feed`;
    await waitFor("the publication's pings", () => pinged(tagFeed).length === 1);
    // The feed is now in the page cache with the first headline.
    expect(await app.html("/tag/cable-cars/feed")).toContain("Cable car approved");
    await editFields(article.id, (fields) => ({ ...fields, title: "Cable car approved for the old town" }));
    await waitFor("the edit's ping", () => pinged(tagFeed).length === 2);
    await waitFor("the hub's fetch", () => fetched.get(tagFeed)?.length === 2);
    expect(fetched.get(tagFeed)?.[1]).toContain("Cable car approved for the old town");
    // Each ping is due a moment after its change, by the database's clock: time for every process to drop its copy.
    // This test waits the delay out (waitFor, not until).
    const delays = await queryRows<{ seconds: number }>(
      app.db,
      sql`SELECT extract(epoch FROM run_at - created_at)::float AS seconds FROM jobs
          WHERE kind = ${content.FEEDS_CHANGED_JOB} AND payload->'articleIds' ? ${article.id}`,
    );
    expect(delays.map((d) => d.seconds)).toEqual([content.FEED_PING_DELAY_SECONDS, content.FEED_PING_DELAY_SECONDS]);
  });

  test("unpublishing pings every feed the article was in; a correction pings those it is in", async () => {
    const article = await app.make.article({ title: "Stadium roof leaks", status: "draft", tags: ["Roofs"] });
    const feeds = feedsOf(article, "roofs");
    await app.publish(article.id);
    await until("the publication's pings", () => feeds.every((feed) => pinged(feed).length > 0));
    let before = counts(feeds);
    await send("POST", `/articles/${article.id}/corrections`, { kind: "correction", note: "The roof is new." });
    await until("the correction's pings", () => pingedSince(feeds, before));
    before = counts(feeds);
    await send("POST", `/articles/${article.id}/unpublish`, {});
    await until("the unpublication's pings", () => pingedSince(feeds, before));
    // The hub, fetching the tag's feed at once, no longer finds the article there.
    const tagFeed = `${SITE}/tag/roofs/feed`;
    await until("the hub's fetch", () => (fetched.get(tagFeed)?.length ?? 0) >= 3);
    expect(fetched.get(tagFeed)?.at(-1)).not.toContain("Stadium roof leaks");
  });

  test("an edit that moves an article to another section pings the section it left and the one it joined", async () => {
    const article = await app.make.article({ title: "Marina expands", status: "draft" });
    const other = await app.make.section({ name: "Waterfront" });
    await app.publish(article.id);
    const left = formatsOf(`/section/${article.section.slug}`);
    const joined = formatsOf(`/section/${other.slug}`);
    await until("the publication's pings", () => left.every((feed) => pinged(feed).length > 0));
    const before = counts([...left, ...joined]);
    await editFields(article.id, (fields) => ({ ...fields, sectionId: other.id }));
    await until("the move's pings", () => pingedSince([...left, ...joined], before));
  });

  test("renaming a section, a tag or a byline, or moving a section's address, pings its feeds", async () => {
    const section = await app.make.section({ name: "Canals" });
    const sectionFeeds = formatsOf(`/section/${section.slug}`);
    let before = counts(sectionFeeds);
    await send("PUT", `/sections/${section.id}`, { name: "Canals and locks" });
    await until("the section rename's pings", () => pingedSince(sectionFeeds, before));

    await send("PUT", `/sections/${section.id}/slug`, { slug: "canals-and-locks" });
    const moved = formatsOf("/section/canals-and-locks");
    await until("the new address's pings", () => moved.every((feed) => pinged(feed).length > 0));

    const article = await app.make.article({ title: "Lock gates replaced", status: "draft", tags: ["Locks"] });
    await app.publish(article.id);
    const [tag] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM tags WHERE slug = 'locks'`);
    const tagFeeds = formatsOf("/tag/locks");
    await until("the publication's pings", () => tagFeeds.every((feed) => pinged(feed).length > 0));
    before = counts(tagFeeds);
    await send("PUT", `/tags/${tag?.id}`, { name: "Lock gates" });
    await until("the tag rename's pings", () => pingedSince(tagFeeds, before));

    const [me] = await queryRows<{ slug: string }>(app.db, sql`SELECT slug FROM staff WHERE id = ${editor.id}`);
    const authorFeeds = formatsOf(`/author/${me?.slug}`);
    before = counts(authorFeeds);
    const profile = await send("GET", "/profile");
    await send("PUT", "/profile", { ...(profile as object), name: "Leyla Mammadova" });
    await until("the byline rename's pings", () => pingedSince(authorFeeds, before));
  });
});
