/** Signing readers in over HTTP the way a browser does: form posts, the emailed link, the session cookie. */
import { expect } from "vitest";
import type { TestApp } from "./app.js";
import type { TestSmtp } from "./smtp.js";

/** A form post from one of the site's own pages (a browser sends Sec-Fetch-Site: same-origin). */
export function postForm(
  app: TestApp,
  path: string,
  fields: Record<string, string>,
  init: { cookie?: string | undefined; headers?: Record<string, string> } = {},
): Promise<Response> {
  return app.get(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The `name=value` of the session cookie a response sets, or undefined. */
export function sessionCookieOf(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => c.startsWith("bs_session="));
  const pair = header?.split(";")[0];
  return pair && pair !== "bs_session=" ? pair : undefined;
}

/** The token of the next emailed link to `path` for `email`, passing over other mail (a welcome, say). */
export async function tokenFromEmail(smtp: TestSmtp, email: string, path: string): Promise<string> {
  for (;;) {
    const mail = await smtp.nextMessage(email);
    const link = mail.links.find((l) => new URL(l).pathname === path);
    if (link) return new URL(link).searchParams.get("token")!;
  }
}

/** Asks for a link, follows it from the received email (GET, then the page's POST) and returns the cookie. */
export async function signIn(app: TestApp, smtp: TestSmtp, email: string, next?: string): Promise<string> {
  const asked = await postForm(app, "/signin", { email, ...(next ? { next } : {}) });
  expect(asked.status).toBe(200);
  const token = await tokenFromEmail(smtp, email, "/signin/verify");
  expect((await app.get(`/signin/verify?token=${token}`)).status).toBe(200);
  const verified = await postForm(app, "/signin/verify", { token });
  expect(verified.status).toBe(303);
  const cookie = sessionCookieOf(verified);
  expect(cookie).toBeDefined();
  return cookie!;
}
