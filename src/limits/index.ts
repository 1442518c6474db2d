export type { RequestLimits, RequestLimitsOptions } from "./request-limits.js";
export { limitRequests } from "./request-limits.js";
export type { AttemptRule, LimitDeps, Reservation } from "./reserve-attempts.js";
export {
  forgetAttempts,
  pruneAttempts,
  releaseAttempts,
  reserveAttempts,
  waitForNextAttempt,
} from "./reserve-attempts.js";
