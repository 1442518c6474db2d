/** Who is reading, from the session cookie alone while its claim is fresh; mapped to the paywall's Reader. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { cachePolicyHeaders } from "../cache/index.js";
import * as members from "../members/index.js";
import type { Reader } from "../paywall/index.js";
import type { ReaderClass } from "./views/frame.js";

/** The reader, their class for cache keys, and the member id for a server-side meter. */
export type ReaderInfo = { reader: Reader; cacheClass: ReaderClass; memberId?: string };

export type ReaderOf = (req: FastifyRequest, reply: FastifyReply) => Promise<ReaderInfo>;

/** For anything shaped by the reader's cookies: a CDN must neither keep it nor hand it to anyone else. */
export const PERSONAL_HEADERS: Readonly<Record<string, string>> = Object.freeze(cachePolicyHeaders("personal"));

const ANONYMOUS = { reader: { kind: "anonymous" }, cacheClass: "anon" } as const;

/** Whether a Cookie header carries a signed-in newsroom session; queried only when such a cookie is sent. */
export type StaffCheck = (cookieHeader: string | undefined) => Promise<boolean>;

const STAFF = { reader: { kind: "staff" }, cacheClass: "staff" } as const;

export function createReaderOf(deps: members.SessionDeps, isStaff: StaffCheck): ReaderOf {
  return async (req, reply) => {
    // Staff read everything and are never metered; their pages are theirs alone.
    if (await isStaff(req.headers.cookie)) {
      markPersonal(reply);
      return STAFF;
    }
    const { session, setCookie } = await members.readSession(deps, req.headers.cookie);
    // A response that sets a cookie, or depends on one, is private; serve-page leaves these headers alone.
    if (setCookie) reply.header("set-cookie", setCookie);
    if (setCookie || session) markPersonal(reply);
    if (!session) return ANONYMOUS;
    return { ...readerForSession(session), memberId: session.memberId };
  };
}

/** The reader class an error page may assume: a fresh session cookie is trusted, nothing is renewed. */
export function readerClassOf(deps: members.SessionDeps, req: FastifyRequest): ReaderClass {
  const session = members.peekSession(deps, req.headers.cookie);
  return session ? readerForSession(session).cacheClass : "anon";
}

export function markPersonal(reply: FastifyReply): void {
  reply.headers(PERSONAL_HEADERS);
}

export function readerForSession(session: members.Session): { reader: Reader; cacheClass: ReaderClass } {
  switch (session.entitlement) {
    case "registered":
      return { reader: { kind: "member", isSubscriber: false }, cacheClass: "member" };
    case "subscriber":
    case "complimentary":
      return { reader: { kind: "member", isSubscriber: true }, cacheClass: "subscriber" };
  }
}
