// autocannon runs, reduced to what the benches' tables show.
import autocannon from "autocannon";

const WARMUP_REQUESTS = 200;

export async function warm(url, headers = {}) {
  await autocannon({ url, headers, amount: WARMUP_REQUESTS, connections: 10 });
}

/** One autocannon run of `duration` seconds at `connections` concurrency. */
export async function measure(url, { headers = {}, connections, duration, expectStatus = 200 }) {
  return summarize(await autocannon({ url, headers, connections, duration }), expectStatus);
}

/** What a table row needs from an autocannon result. */
export function summarize(result, expectStatus = 200) {
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    unexpected: unexpectedStatuses(result.statusCodeStats, expectStatus),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Responses whose status is not the one the page should answer with (404 is right for the 404 page), counted by
 * status: a 429 (a rate limit) or a 503 (shedding) says something different from a 500.
 */
function unexpectedStatuses(statusCodeStats, expectStatus) {
  const byStatus = {};
  for (const [code, { count: n }] of Object.entries(statusCodeStats ?? {})) {
    if (Number(code) !== expectStatus) byStatus[code] = Number(n);
  }
  return byStatus;
}
