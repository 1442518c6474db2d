/**
 * WebSub: tells the paper's hub which feeds changed, so readers subscribed there get new articles as they are
 * published, and corrections, removals and renamed listings as they happen. The handler of content's FEEDS_CHANGED_JOB: one POST per feed (`hub.mode=publish`, `hub.url`), which
 * every hub accepts; an answer other than 2xx, or no answer, throws, and the queue tries again later.
 */
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import { FEED_FORMATS } from "./render-feed.js";

export type WebSubDeps = { db: Db; publicUrl: string; hubUrl: string | undefined };

/** What the queue hands a handler; the job runner's context, as far as pinging needs it. */
type PingContext = { signal: AbortSignal; log: { info(details: object, message: string): void } };

const PING_TIMEOUT_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const idsIn = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((id): id is string => typeof id === "string" && UUID.test(id)) : [];

/** The payload's ids; anything else in it is ignored. */
function changeOf(payload: unknown): { articleIds: string[]; listings: content.ListingIds } {
  const p = (payload ?? {}) as Partial<content.FeedsChangedPayload>;
  const listings = (p.listings ?? {}) as Partial<content.ListingIds>;
  return {
    articleIds: idsIn(p.articleIds),
    listings: {
      sectionIds: idsIn(listings.sectionIds),
      tagIds: idsIn(listings.tagIds),
      authorIds: idsIn(listings.authorIds),
    },
  };
}

/**
 * Every format of the paper's feed and of the listings' feeds these articles are in now, and of the listings the
 * change names (those an article left, one renamed), as absolute URLs.
 */
async function changedFeeds(deps: WebSubDeps, change: ReturnType<typeof changeOf>): Promise<string[]> {
  const listings = await content.listingsShowing(deps.db, change.articleIds, change.listings);
  if (listings.length === 0) return [];
  const bases = ["", ...listings].map((path) => `${deps.publicUrl}${path}/feed`);
  return bases.flatMap((base) => Object.values(FEED_FORMATS).map((format) => base + format.suffix));
}

export function pingHubHandler(deps: WebSubDeps): (payload: unknown, ctx: PingContext) => Promise<void> {
  return async (payload, ctx) => {
    const { hubUrl } = deps;
    if (!hubUrl) return;
    const feeds = await changedFeeds(deps, changeOf(payload));
    for (const feed of feeds) {
      const res = await fetch(hubUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ "hub.mode": "publish", "hub.url": feed }),
        signal: AbortSignal.any([AbortSignal.timeout(PING_TIMEOUT_MS), ctx.signal]),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`the WebSub hub answered ${res.status} for ${feed}`);
    }
    ctx.log.info({ hub: hubUrl, feeds: feeds.length }, "WebSub hub told of changed feeds");
  };
}
