export type { PaywallCounter, PaywallCounters, PaywallReportRow } from "./counters.js";
export { createPaywallCounters, paywallReport } from "./counters.js";
export type { AccessDecision, AccessOutcome, ArticleAccess, Ask, MeterTally, Reader } from "./decide-access.js";
export { decideAccess, meteredOutcome, outcomeKey, unmeteredOutcome } from "./decide-access.js";
export type { MeterState } from "./meter-cookie.js";
export { countRead, METER_COOKIE, meterCookieHeader, readMeterCookie, tallyOf } from "./meter-cookie.js";
export type { MeterPeriod } from "./meter-period.js";
export { meterPeriod } from "./meter-period.js";
