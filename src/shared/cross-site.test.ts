import { describe, expect, test } from "vitest";
import { isCrossSiteRequest } from "./cross-site.js";

const SITE = "https://paper.example";
const request = (headers: { secFetchSite?: string; origin?: string; host?: string }) => ({
  secFetchSite: headers.secFetchSite,
  origin: headers.origin,
  host: headers.host ?? "paper.example",
});

describe("isCrossSiteRequest", () => {
  test("a browser's own word decides when it sends Sec-Fetch-Site", () => {
    expect(isCrossSiteRequest(request({ secFetchSite: "same-origin", origin: "null" }), SITE)).toBe(false);
    expect(isCrossSiteRequest(request({ secFetchSite: "none" }), SITE)).toBe(false);
    expect(isCrossSiteRequest(request({ secFetchSite: "cross-site", origin: SITE }), SITE)).toBe(true);
    expect(isCrossSiteRequest(request({ secFetchSite: "same-site" }), SITE)).toBe(true);
  });

  test("without Sec-Fetch-Site, the Origin must be this site's public address or its Host", () => {
    expect(isCrossSiteRequest(request({ origin: SITE }), SITE)).toBe(false);
    expect(isCrossSiteRequest(request({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }), SITE)).toBe(false);
    expect(isCrossSiteRequest(request({ origin: "https://evil.example" }), SITE)).toBe(true);
    expect(isCrossSiteRequest(request({ origin: "null" }), SITE)).toBe(true);
  });

  test("a request with neither header is not from a browser, so it is let through", () => {
    expect(isCrossSiteRequest(request({}), SITE)).toBe(false);
  });
});
