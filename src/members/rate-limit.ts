/** How many emailed links an address and a client IP may ask for, counted in the database (see limits/). */
import { type LimitDeps, reserveAttempts } from "../limits/index.js";

const WINDOW_MS = 15 * 60_000;

/** Emailed links per address and per client IP in 15 minutes, shared by every process. */
export const LINK_LIMITS = { perEmail: 5, perIp: 20, windowMs: WINDOW_MS } as const;

/** Seconds to wait when a limit is reached; undefined when the link may be sent, and it is then counted. */
export async function reserveLinkRequest(
  deps: LimitDeps,
  input: { email: string; ip: string },
): Promise<number | undefined> {
  const reservation = await reserveAttempts(deps, [
    { scope: "member-link:email", key: input.email, limit: LINK_LIMITS.perEmail, windowMs: WINDOW_MS },
    { scope: "member-link:ip", key: input.ip, limit: LINK_LIMITS.perIp, windowMs: WINDOW_MS },
  ]);
  return reservation.kind === "limited" ? reservation.retryAfterSeconds : undefined;
}
