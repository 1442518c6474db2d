/** Staff accounts and the newsroom API over HTTP, as the /admin app calls it. */
import { randomBytes } from "node:crypto";
import * as content from "../../src/content/index.js";
import { hashPassword } from "../../src/newsroom/index.js";
import type { TestApp } from "./app.js";

/** Strong by the newsroom's own check (zxcvbn score 4), and not the famous example passphrase. */
export const STAFF_PASSWORD = "quiet harbour lantern mosaic 47";

export type StaffAccount = { id: string; email: string; role: content.StaffRole; cookie: string };

/**
 * STAFF_PASSWORD's argon2id hash, made once per test process: argon2 is slow on purpose (tens of ms of CPU), and a
 * hash carries its own salt, so one serves every account the tests make. Signing in still checks it for real.
 */
let staffPasswordHash: Promise<string> | undefined;

/** A staff account with STAFF_PASSWORD. */
export async function makeStaff(
  app: TestApp,
  role: content.StaffRole,
  spec: { email?: string } = {},
): Promise<Omit<StaffAccount, "cookie">> {
  const email = spec.email ?? `${role}-${randomBytes(3).toString("hex")}@example.test`;
  staffPasswordHash ??= hashPassword(STAFF_PASSWORD);
  const { id } = await content.createStaff(app.db, {
    email,
    name: `${role} ${randomBytes(2).toString("hex")}`,
    role,
    passwordHash: await staffPasswordHash,
  });
  return { id, email, role };
}

/** Signs in over HTTP and returns the `bs_staff=…` pair to send back as a Cookie. */
export async function signInAs(app: TestApp, email: string, password = STAFF_PASSWORD): Promise<string> {
  const res = await api(app, "POST", "/admin/api/session", { body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return staffCookieOf(res)!;
}

export async function signedInStaff(app: TestApp, role: content.StaffRole): Promise<StaffAccount> {
  const account = await makeStaff(app, role);
  return { ...account, cookie: await signInAs(app, account.email) };
}

/** The staff cookie's `name=value` pair: `bs_staff`, or `__Host-bs_staff` when the paper's address is https. */
export function staffCookieOf(res: Response): string | undefined {
  const header = res.headers.getSetCookie().find((c) => /^(__Host-)?bs_staff=/.test(c));
  const pair = header?.split(";")[0];
  return pair && !pair.endsWith("bs_staff=") ? pair : undefined;
}

/** A JSON request from the newsroom app's own page (same origin). */
export function api(
  app: TestApp,
  method: string,
  path: string,
  init: { body?: unknown; cookie?: string | undefined; headers?: Record<string, string> } = {},
): Promise<Response> {
  return app.get(path, {
    method,
    headers: {
      origin: app.url,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

export async function errorCodeOf(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { errors?: { code: string }[] };
  return body.errors?.[0]?.code;
}

/** A file upload from the newsroom app's own page: multipart/form-data with the file in the field "file". */
export function uploadFile(
  app: TestApp,
  cookie: string | undefined,
  file: { bytes: Uint8Array; name: string; type?: string; field?: string },
  init: { extra?: { field: string; bytes: Uint8Array; name: string }; headers?: Record<string, string> } = {},
): Promise<Response> {
  const form = new FormData();
  form.append(
    file.field ?? "file",
    new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }),
    file.name,
  );
  if (init.extra) form.append(init.extra.field, new Blob([new Uint8Array(init.extra.bytes)]), init.extra.name);
  return app.get("/admin/api/media", {
    method: "POST",
    headers: { origin: app.url, ...(cookie ? { cookie } : {}), ...init.headers },
    body: form,
  });
}
