/** Each provider's purge against a local stand-in that checks the documented request shape and credentials. */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CdnConfig } from "../config.js";
import { PermanentJobError } from "../jobs/index.js";
import { createPurger } from "./purge.js";
import { purgeHandler, surrogateKeysToPurge } from "./purge-after-change.js";

type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
let seen: Seen[] = [];
let server: Server;
let base: string;

// The stand-in: Fastly's and Cloudflare's purge endpoints refuse a wrong credential as they do (401/403).
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const fastlyOk = req.url === "/service/SVC123/purge" && req.headers["fastly-key"] === "fastly-token";
      const cloudflareOk = req.url === "/zones/ZONE9/purge_cache" && req.headers.authorization === "Bearer cf-token";
      const ok = fastlyOk || cloudflareOk || req.url === "/varnish" || req.url === "/hook";
      res.writeHead(ok ? 200 : 403, { "content-type": "application/json" });
      res.end(ok ? '{"status":"ok"}' : '{"msg":"bad credentials"}');
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const cdn = (over: Partial<CdnConfig> & Pick<CdnConfig, "provider">): CdnConfig => ({
  purgeUrl: base,
  apiToken: undefined,
  serviceId: undefined,
  zoneId: undefined,
  repurgeSeconds: 0,
  ...over,
});

describe("purging by surrogate key", () => {
  test("Varnish: a PURGE naming the keys in xkey-softpurge", async () => {
    seen = [];
    await createPurger(cdn({ provider: "varnish", purgeUrl: `${base}/varnish` })).purge(["article:a1", "home"]);
    expect(seen).toEqual([expect.objectContaining({ method: "PURGE", url: "/varnish" })]);
    expect(seen[0]?.headers["xkey-softpurge"]).toBe("article:a1 home");
  });

  test("Fastly: POST /service/{id}/purge, the keys in Surrogate-Key, Fastly-Key, soft", async () => {
    seen = [];
    const fastly = cdn({ provider: "fastly", apiToken: "fastly-token", serviceId: "SVC123" });
    await createPurger(fastly).purge(["article:a1", "section:s1", "article:a1"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/service/SVC123/purge" });
    expect(seen[0]?.headers).toMatchObject({
      "surrogate-key": "article:a1 section:s1",
      "fastly-key": "fastly-token",
      "fastly-soft-purge": "1",
    });
    const wrongKey = createPurger({ ...fastly, apiToken: "stolen" });
    await expect(wrongKey.purge(["home"])).rejects.toThrow(/fastly purge answered 403: .*bad credentials/);
  });

  test("Cloudflare: POST /zones/{id}/purge_cache {tags}, a Bearer token, 30 tags a request", async () => {
    seen = [];
    const tags = Array.from({ length: 31 }, (_, i) => `article:${i}`);
    const cloudflare = cdn({ provider: "cloudflare", apiToken: "cf-token", zoneId: "ZONE9" });
    await createPurger(cloudflare).purge(tags);
    expect(seen.map((s) => s.url)).toEqual(["/zones/ZONE9/purge_cache", "/zones/ZONE9/purge_cache"]);
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(seen.flatMap((s) => JSON.parse(s.body).tags)).toEqual(tags);
    await expect(createPurger({ ...cloudflare, zoneId: "OTHER" }).purge(["home"])).rejects.toThrow(/403/);
  });

  test("webhook: the keys as JSON, the token as Bearer when set", async () => {
    seen = [];
    await createPurger(cdn({ provider: "webhook", purgeUrl: `${base}/hook`, apiToken: "t0k" })).purge(["home"]);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ keys: ["home"] });
    expect(seen[0]?.headers.authorization).toBe("Bearer t0k");
  });

  test("a purge job: members' tags are not purged; keys that are not a list of strings fail at once", async () => {
    expect(surrogateKeysToPurge(["article:a1", "member:m1", "home", "article:a1"])).toEqual(["article:a1", "home"]);
    seen = [];
    const handler = purgeHandler(createPurger(cdn({ provider: "webhook", purgeUrl: `${base}/hook` })));
    const logged: string[] = [];
    const log = { info: (_: object, msg: string) => logged.push(msg), warn: () => {}, error: () => {} };
    const ctx = { attempt: 1, jobId: "j1", log, signal: new AbortController().signal };
    await handler({ keys: ["article:a1"] }, ctx);
    expect(JSON.parse(seen[0]?.body ?? "")).toEqual({ keys: ["article:a1"] });
    expect(logged).toEqual(["CDN purged"]);
    await expect(handler({ keys: "home" }, ctx)).rejects.toBeInstanceOf(PermanentJobError);
    const refused = purgeHandler(createPurger(cdn({ provider: "fastly", apiToken: "wrong", serviceId: "SVC123" })));
    await expect(refused({ keys: ["home"] }, ctx)).rejects.toThrow(/fastly purge answered 403/);
  });
});
