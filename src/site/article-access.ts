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
  countRead,
  decideAccess,
  METER_COOKIE,
  meterCookieHeader,
  meteredOutcome,
  meterPeriod,
  readMeterCookie,
  tallyOf,
  unmeteredOutcome,
} from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { cookieName, readCookie } from "../shared/cookie.js";
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
  const now = deps.clock.now();
  const period = meterPeriod(now, settings.timeZone);
  const isRead = isReadRequest(req);
  if (who.memberId) {
    const allowance = settings.registeredAllowance;
    const read = { memberId: who.memberId, articleId: article.id, month: period.month, allowance, at: now };
    const meter = isRead
      ? await members.recordMeteredRead(deps.db, read)
      : await members.peekMeteredRead(deps.db, read);
    return meteredOutcome(decision.ask, { ...meter, allowance, renewsOn: period.renewsOn }).outcome;
  }
  // The page now depends on this reader's cookie: no shared cache (a CDN) may keep or share it.
  markPersonal(reply);
  const state = readMeterCookie(
    readCookie(req.headers.cookie, cookieName(METER_COOKIE, deps.publicUrl.startsWith("https:"))),
    deps.sessionSecret,
  );
  const tally = tallyOf(state, period, article.id, settings.anonymousAllowance);
  const { outcome, counts } = meteredOutcome(decision.ask, tally);
  if (counts && isRead) {
    const value = countRead(state, period, article.id, deps.sessionSecret);
    reply.header("set-cookie", meterCookieHeader(value, { secure: deps.publicUrl.startsWith("https:") }));
  }
  return outcome;
}

/** Whether a request for an article is a read to count (meter, wall views): a HEAD answers as a GET, counting none. */
export function isReadRequest(req: FastifyRequest): boolean {
  return req.method !== "HEAD";
}
