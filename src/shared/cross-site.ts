/**
 * Whether a state-changing request was sent by a page on another site (CSRF), following Go 1.25's
 * CrossOriginProtection: trust the browser's Sec-Fetch-Site; without it, compare Origin with this site;
 * with neither, the request is not from a browser and cannot be a forged one.
 */
export type RequestOrigin = { secFetchSite: string | undefined; origin: string | undefined; host: string | undefined };

export function isCrossSiteRequest(request: RequestOrigin, publicUrl: string): boolean {
  if (request.secFetchSite) return request.secFetchSite !== "same-origin" && request.secFetchSite !== "none";
  if (!request.origin) return false;
  if (request.origin === new URL(publicUrl).origin) return false;
  try {
    return new URL(request.origin).host !== request.host;
  } catch {
    // "null" and other opaque origins: sandboxed frames, privacy redirects. Not ours.
    return true;
  }
}
