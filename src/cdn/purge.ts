/**
 * Purges surrogate keys at the CDN, in each provider's documented shape. A purge that the CDN does not confirm
 * (a refused credential, an outage) throws with its status, so the caller can retry and, in the end, report it.
 */
import type { CdnConfig } from "../config.js";

export type Purger = {
  readonly provider: CdnConfig["provider"];
  /** Marks every answer carrying any of `keys` stale at the edge; throws when the CDN does not confirm it. */
  purge(keys: readonly string[]): Promise<void>;
};

export type Fetch = typeof fetch;

// Fastly takes up to 256 keys a request, Cloudflare 30 tags; Varnish and a webhook are given the same as Fastly.
const BATCH: Record<CdnConfig["provider"], number> = { varnish: 256, fastly: 256, cloudflare: 30, webhook: 256 };
const TIMEOUT_MS = 10_000;

/** What a purge request is, for each provider. */
function purgeRequest(cdn: CdnConfig, keys: readonly string[]): { url: string; init: RequestInit } {
  switch (cdn.provider) {
    // Our VCL's PURGE, answered only from the origin's address: a soft purge, so an outage can still serve it.
    case "varnish":
      return { url: cdn.purgeUrl, init: { method: "PURGE", headers: { "xkey-softpurge": keys.join(" ") } } };
    // POST /service/{id}/purge with the keys in Surrogate-Key; soft, for the same reason.
    case "fastly":
      return {
        url: `${cdn.purgeUrl}/service/${encodeURIComponent(cdn.serviceId ?? "")}/purge`,
        init: {
          method: "POST",
          headers: {
            "fastly-key": cdn.apiToken ?? "",
            "surrogate-key": keys.join(" "),
            "fastly-soft-purge": "1",
            accept: "application/json",
          },
        },
      };
    // POST /zones/{id}/purge_cache {"tags": […]} with a Bearer token.
    case "cloudflare":
      return {
        url: `${cdn.purgeUrl}/zones/${encodeURIComponent(cdn.zoneId ?? "")}/purge_cache`,
        init: {
          method: "POST",
          headers: { authorization: `Bearer ${cdn.apiToken ?? ""}`, "content-type": "application/json" },
          body: JSON.stringify({ tags: keys }),
        },
      };
    case "webhook": {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (cdn.apiToken) headers.authorization = `Bearer ${cdn.apiToken}`;
      return { url: cdn.purgeUrl, init: { method: "POST", headers, body: JSON.stringify({ keys }) } };
    }
  }
}

export function createPurger(cdn: CdnConfig, fetchFn: Fetch = fetch): Purger {
  return {
    provider: cdn.provider,
    async purge(keys) {
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += BATCH[cdn.provider]) {
        const { url, init } = purgeRequest(cdn, unique.slice(i, i + BATCH[cdn.provider]));
        const res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
        // The body says why, in the provider's words; a refusal's first 200 characters are enough to act on.
        const text = await res.text();
        if (!res.ok) throw new Error(`${cdn.provider} purge answered ${res.status}: ${text.slice(0, 200)}`);
      }
    },
  };
}
