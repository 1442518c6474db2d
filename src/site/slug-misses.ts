/**
 * Slugs that matched nothing, remembered with the cache generation they were checked at: any publish or rename
 * moves the generation on, so a remembered miss never hides new content. Bounded by count. A slug that moved
 * answers with a redirect to where it went.
 */
import type { FastifyReply } from "fastify";
import { LRUCache } from "lru-cache";
import type { PageCache, RenderTicket } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import { NotFound } from "../shared/errors.js";

export type SlugMisses = {
  /** A slug found missing since the last change to the site is missing still: 404 without the database. */
  rejectKnownMissing(owner: content.SlugOwner, slug: string): void;
  /** Redirects an old slug to its owner's new address, or remembers the miss and answers 404. */
  redirectOldSlug(input: {
    reply: FastifyReply;
    ticket: RenderTicket;
    owner: content.SlugOwner;
    slug: string;
    pathFor: (slug: string, sectionSlug: string) => string;
  }): Promise<FastifyReply>;
};

const notFound = () => new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");

export function createSlugMisses(deps: { db: Db; cache: PageCache }): SlugMisses {
  const knownMissing = new LRUCache<string, number>({ max: 10_000 });
  return {
    rejectKnownMissing(owner, slug) {
      if (knownMissing.get(`${owner}:${slug}`) === deps.cache.ticket().generation) throw notFound();
    },
    async redirectOldSlug({ reply, ticket, owner, slug, pathFor }) {
      const target = await content.findSlugRedirect(deps.db, owner, slug);
      if (!target) {
        // The generation from before the lookups: a publish during them makes this record stale at once.
        knownMissing.set(`${owner}:${slug}`, ticket.generation);
        throw notFound();
      }
      return reply.redirect(pathFor(target.slug, target.sectionSlug ?? ""), 301);
    },
  };
}
