// The server under test: the built dist/main.js on a fresh data dir, pinned to its CPU, and a subscriber's
// session cookie signed with its secret by the server's own code.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, HOST, ROOT, spawnNode, waitReady } from "./processes.mjs";

export function freshDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/**
 * Starts the server on a free port and waits until /readyz answers. `env` is added to the bench's environment;
 * DATABASE_URL is left out unless `env` sets it, so a variable in the caller's shell never redirects a PGlite run.
 */
export async function startServer(env, { cwd = ROOT } = {}) {
  const port = await freePort();
  const child = spawnNode(
    ["dist/main.js"],
    { DATABASE_URL: undefined, PORT: String(port), HOST, LOG_LEVEL: "warn", ...env },
    { pinned: true, cwd },
  );
  const base = `http://${HOST}:${port}`;
  await waitReady(child, `${base}/readyz`);
  return { child, base };
}

/** A subscriber's session cookie, made by the server's own session code with the bench server's secret. */
export async function subscriberCookie(sessionSecret) {
  const { encodeSession, SESSION_COOKIE } = await import(join(ROOT, "dist/members/session-cookie.js"));
  const issuedAt = Date.now();
  const claim = {
    sessionId: randomUUID(),
    memberId: randomUUID(),
    entitlement: "subscriber",
    issuedAt,
    // Longer than any bench run; a claim this fresh is trusted without the database.
    expiresAt: issuedAt + 14 * 60_000,
  };
  return `${SESSION_COOKIE}=${encodeSession(claim, sessionSecret)}`;
}

/** The front page's links a bench measures: its first section, and its articles in the order they appear. */
export async function frontPageLinks(base) {
  const home = await (await fetch(`${base}/`)).text();
  const links = [...home.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]);
  return {
    section: links.find((href) => href.startsWith("/section/")),
    articles: links.filter(
      (href) => /^\/[a-z0-9-]+\/[a-z0-9-]+$/.test(href) && !/^\/(section|tag|author)\//.test(href),
    ),
  };
}
