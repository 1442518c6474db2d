/** How many emailed links an address and a client IP may ask for: see shared/rate-limiter.ts for the counting. */
import type { Clock } from "../shared/clock.js";
import { createRateLimiter, type RateLimiter } from "../shared/rate-limiter.js";

export type SignInLimits = { perEmail: RateLimiter; perIp: RateLimiter };

const WINDOW_MS = 15 * 60_000;

export function createSignInLimits(clock: Clock): SignInLimits {
  return {
    perEmail: createRateLimiter(clock, { limit: 5, windowMs: WINDOW_MS }),
    perIp: createRateLimiter(clock, { limit: 20, windowMs: WINDOW_MS }),
  };
}
