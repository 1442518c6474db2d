// One autocannon run in a process of its own, for a bench whose own process is busy with something else (an SMTP
// server under measurement): `node bench/lib/measure-once.mjs URL CONNECTIONS SECONDS` prints the run as JSON.
import autocannon from "autocannon";

const [url, connections, duration] = process.argv.slice(2);
const r = await autocannon({ url, connections: Number(connections), duration: Number(duration) });
const ok = r.non2xx === 0 && r.errors === 0;
process.stdout.write(`${JSON.stringify({ ok, reqPerSec: r.requests.average, p99: r.latency.p99 })}\n`);
