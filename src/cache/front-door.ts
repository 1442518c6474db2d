/**
 * The front door: answers a GET or HEAD for an address the routes answered before from the page cache, straight
 * onto the socket, before Fastify parses, routes or runs a hook. Everything else goes on to Fastify.
 * A cookieless request gets the page remembered at its address, while it is still the one cached at its key.
 * A request with cookies, or for a page that differs by reader (a metered article), is answered only when the
 * routes left an answerer for the address that decides it from the request alone, and its page is cached.
 * An invalidation, an expiry or an eviction sends the next request back through the routes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AnswerVariant,
  answerVariant,
  cachedResponse,
  isCookieless,
  withoutSharedCacheHeaders,
} from "./cached-response.js";
import type { CachedPage, DecidedAnswer, PageCache } from "./page-cache.js";

export type FrontDoor = {
  /** True when it answered; otherwise the request is untouched. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on every request goes to Fastify, which refuses new ones while it closes. */
  close(): void;
};

/** An answer ready to write: the header lines as Node takes them, name and value in turn. */
type Answer = { status: number; headers: string[]; body: Buffer | undefined };

export function createFrontDoor(
  cache: PageCache,
  options: {
    /** Sent first on every answer, as Fastify's hook sends them on every reply: the site's security headers. */
    headers: Readonly<Record<string, string>>;
    /** Called after each answer, for the request log. */
    onAnswer?: (req: IncomingMessage, status: number) => void;
  },
): FrontDoor {
  let open = true;
  // Each page's answers are made once and dropped with the page.
  const answers = new WeakMap<CachedPage, Partial<Record<AnswerVariant, Answer>>>();
  // A decided answer whose own headers carry no Set-Cookie is the same for every reader given the same headers
  // object (the answerers hand out shared ones): made once per page, variant and headers, like the page's own.
  const decidedAnswers = new WeakMap<CachedPage, Partial<Record<AnswerVariant, WeakMap<object, Answer>>>>();
  const answerFor = (page: CachedPage, variant: AnswerVariant): Answer => {
    let made = answers.get(page);
    if (!made) {
      made = {};
      answers.set(page, made);
    }
    made[variant] ??= makeAnswer(page, variant, undefined);
    return made[variant];
  };
  /** A decided answer's own headers (a private Cache-Control, a Set-Cookie) go over the page's. */
  const makeAnswer = (page: CachedPage, variant: AnswerVariant, decided: DecidedAnswer | undefined): Answer => {
    const response = cachedResponse(page, variant);
    const own = decided?.headers["cache-control"] ? withoutSharedCacheHeaders(response.headers) : response.headers;
    const lines: Record<string, string> = { ...options.headers, ...own, ...decided?.headers };
    if (response.body) lines["content-length"] = String(response.body.length);
    return { status: response.status, headers: Object.entries(lines).flat(), body: response.body };
  };
  const decidedAnswer = (page: CachedPage, variant: AnswerVariant, decided: DecidedAnswer): Answer => {
    if (decided.headers["set-cookie"] !== undefined) return makeAnswer(page, variant, decided);
    let byVariant = decidedAnswers.get(page);
    if (!byVariant) {
      byVariant = {};
      decidedAnswers.set(page, byVariant);
    }
    byVariant[variant] ??= new WeakMap();
    const byHeaders = byVariant[variant];
    let answer = byHeaders.get(decided.headers);
    if (!answer) {
      answer = makeAnswer(page, variant, decided);
      byHeaders.set(decided.headers, answer);
    }
    return answer;
  };
  const find = (req: IncomingMessage & { url: string }) => {
    if (isCookieless(req)) {
      const remembered = cache.pageAtAddress(req.url);
      if (remembered) {
        const answer = answerFor(remembered.page, answerVariant(remembered.page, req.headers));
        return { answer, onRepeat: remembered.onRepeat };
      }
    }
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.authorization !== undefined) return undefined;
    const decided = cache.answererAt(req.url)?.(req);
    const page = decided && cache.get(decided.key);
    if (!decided || !page) return undefined;
    return { answer: decidedAnswer(page, answerVariant(page, req.headers), decided), onRepeat: decided.onRepeat };
  };
  return {
    serve(req, res) {
      if (!open || req.url === undefined) return false;
      const found = find(req as IncomingMessage & { url: string });
      if (!found) return false;
      const { answer } = found;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      // A HEAD is answered as the GET would be, but nobody read anything: a bot checking a link is not a view.
      if (req.method !== "HEAD") found.onRepeat?.(req);
      options.onAnswer?.(req, answer.status);
      return true;
    },
    close() {
      open = false;
    },
  };
}
