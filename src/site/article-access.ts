/**
 * The paywall at the edge: turns the paywall's decision into an outcome, consulting the reader's meter when the
 * article is metered — the signed cookie for anonymous readers, the server for members — and counting the read.
 * A HEAD (a link-preview bot's, say) gets the outcome a GET would, but is not a read: nothing is counted.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { SiteSettings } from "../content/index.js";
import type { Db } from "../db/index.js";
import * as members from "../members/index.js";
import {
  type AccessOutcome,
  type ArticleAccess,
  decideAccess,
  meteredOutcome,
  meterPeriod,
  unmeteredOutcome,
} from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { anonymousMeter } from "./cookie-decisions.js";
import { markPersonal, type ReaderInfo } from "./reader.js";

export type ArticleAccessDeps = { db: Db; clock: Clock; sessionSecret: string; publicUrl: string };

export type AccessedArticle = ArticleAccess & { id: string };

export async function accessOutcomeFor(
  deps: ArticleAccessDeps,
  input: {
    req: FastifyRequest;
    reply: FastifyReply;
    who: ReaderInfo;
    article: AccessedArticle;
    settings: SiteSettings;
  },
): Promise<AccessOutcome> {
  const { req, reply, who, article, settings } = input;
  const decision = decideAccess(who.reader, article);
  if (decision.kind !== "metered") return unmeteredOutcome(decision);
  const isRead = isReadRequest(req);
  if (who.memberId) {
    const now = deps.clock.now();
    const period = meterPeriod(now, settings.timeZone);
    const allowance = settings.registeredAllowance;
    const read = { memberId: who.memberId, articleId: article.id, month: period.month, allowance, at: now };
    const meter = isRead
      ? await members.recordMeteredRead(deps.db, read)
      : await members.peekMeteredRead(deps.db, read);
    return meteredOutcome(decision.ask, { ...meter, allowance, renewsOn: period.renewsOn }).outcome;
  }
  // The page now depends on this reader's cookie: no shared cache (a CDN) may keep or share it.
  markPersonal(reply);
  const cookieHeader = req.headers.cookie;
  const metered = anonymousMeter(deps, { cookieHeader, isRead, article, settings, ask: decision.ask });
  if (metered.setCookie) reply.header("set-cookie", metered.setCookie);
  return metered.outcome;
}

/** Whether a request for an article is a read to count (meter, wall views): a HEAD answers as a GET, counting none. */
export function isReadRequest(req: FastifyRequest): boolean {
  return req.method !== "HEAD";
}
