/**
 * WebSub: publishing or editing an article tells the configured hub which feeds changed, through the job queue,
 * as WebSub's publishers do (POST, form-encoded `hub.mode=publish` and `hub.url`). The hub is a stand-in on
 * loopback that records what it is sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { waitFor } from "../support/processes.js";

type Ping = { method: string; path: string; contentType: string; params: [string, string][] };

const SITE = "http://news.example.test";
let app: TestApp;
let hub: Server;
const pings: Ping[] = [];
/** Statuses the hub answers with next, before going back to 204. */
const refusals: number[] = [];

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
      res.statusCode = refusals.shift() ?? 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, "127.0.0.1", resolve));
  const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`;
  app = await startApp({ template: "demo", env: { WEBSUB_HUB_URL: hubUrl, PUBLIC_URL: SITE } });
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => hub.close(resolve));
});

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
    await waitFor("the hub to hear of every feed", () => feeds.every((feed) => pinged(feed).length > 0));
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
    await waitFor("the pings of the publication", () => counts().every((n) => n >= 1));
    expect(feeds.filter(own).map((feed) => pinged(feed).length)).toEqual([1, 1, 1]);
    const published = counts();
    await retitle(article.id, "Ferry fares frozen until 2028");
    await waitFor("the pings of the edit", () => counts().every((n, i) => n > published[i]!));
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
    // The queue's first retry waits its backoff (5 s).
    await waitFor("the job to succeed on a later attempt", async () => (await job())?.status === "succeeded", 120_000);
    expect((await job())?.attempts).toBe(2);
    // The refused first ping was asked again; the rest of the job's feeds were asked once, on the retry.
    expect(pinged(first).length - earlier).toBe(2);
    expect(feeds.filter((feed) => feed.includes("/tag/coast/")).map((feed) => pinged(feed).length)).toEqual([1, 1, 1]);
  });
});
