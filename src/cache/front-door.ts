/**
 * The front door: answers a cookieless GET or HEAD for an address the routes answered before from the page cache,
 * straight onto the socket, before Fastify parses, routes or runs a hook. Everything else goes on to Fastify.
 * A remembered address is answered only while its page is still the one cached at its key, so an invalidation,
 * an expiry or an eviction sends the next request back through the routes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type AnswerVariant, answerVariant, cachedResponse, isCookieless } from "./cached-response.js";
import type { CachedPage, PageCache } from "./page-cache.js";

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
  const answerFor = (page: CachedPage, variant: AnswerVariant): Answer => {
    let made = answers.get(page);
    if (!made) {
      made = {};
      answers.set(page, made);
    }
    let answer = made[variant];
    if (!answer) {
      const response = cachedResponse(page, variant);
      const lines = { ...options.headers, ...response.headers };
      if (response.body) lines["content-length"] = String(response.body.length);
      answer = { status: response.status, headers: Object.entries(lines).flat(), body: response.body };
      made[variant] = answer;
    }
    return answer;
  };
  return {
    serve(req, res) {
      if (!open || !isCookieless(req) || req.url === undefined) return false;
      const remembered = cache.pageAtAddress(req.url);
      if (!remembered) return false;
      const answer = answerFor(remembered.page, answerVariant(remembered.page, req.headers));
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      // A HEAD is answered as the GET would be, but nobody read anything: a bot checking a link is not a view.
      if (req.method !== "HEAD") remembered.onRepeat?.();
      options.onAnswer?.(req, answer.status);
      return true;
    },
    close() {
      open = false;
    },
  };
}
