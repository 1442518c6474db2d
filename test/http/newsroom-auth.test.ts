/** Staff sign-in, sessions, password resets, invitations and two-factor over HTTP, with a real SMTP server. */
import { sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { tokenFromEmail } from "../support/members.js";
import {
  api,
  errorCodeOf,
  makeStaff,
  STAFF_PASSWORD,
  signedInStaff,
  signInAs,
  staffCookieOf,
} from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

describe.each(databaseKinds())("newsroom sign-in on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  const clock = fixedClock(new Date("2031-05-06T08:00:00Z"));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  test("signing in sets an HttpOnly, SameSite=Lax site-wide cookie and the session shows who is signed in", async () => {
    const editor = await makeStaff(app, "editor");
    const res = await api(app, "POST", "/admin/api/session", {
      body: { email: editor.email.toUpperCase(), password: STAFF_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().join("\n")).toMatch(
      /^bs_staff=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=1209600$/,
    );
    const body = await res.json();
    expect(body).toEqual({ staff: expect.objectContaining({ id: editor.id, email: editor.email, role: "editor" }) });
    expect(JSON.stringify(body)).not.toMatch(/argon2|password/i);

    const me = await api(app, "GET", "/admin/api/session", { cookie: staffCookieOf(res) });
    expect(me.status).toBe(200);
    expect((await me.json()).staff.id).toBe(editor.id);
    const stored = await queryRows<{ token_hash: string }>(
      app.db,
      sql`SELECT token_hash FROM staff_sessions WHERE staff_id = ${editor.id}`,
    );
    expect(stored).toHaveLength(1);
    expect(staffCookieOf(res)).not.toContain(stored[0]!.token_hash);
  });

  test("staff write their own byline; hostile text in it is shown as text on the reader site", async () => {
    const author = await signedInStaff(app, "author");
    const profile = {
      name: "Mira <b>Kos</b>",
      bio: 'Covers courts. <script>alert("bio")</script><img src=x onerror=alert(1)>',
      xHandle: "mira_kos",
    };
    const saved = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body: profile });
    expect(saved.status).toBe(200);
    // Left out, the photo and the links stay as they were: none.
    expect(await saved.json()).toEqual({ ...profile, photoUrl: null, photoSrcset: null, profileLinks: [] });
    const { slug } = await content.getStaffById(app.db, author.id);
    const article = await app.make.article({ author: { id: author.id, slug } });
    const page = await app.html(`/${article.section.slug}/${article.slug}`);
    // Text escaped as text: no tag the browser would build from it, in the page or its JSON-LD.
    expect(page).toContain(
      "Covers courts. &lt;script>alert(&quot;bio&quot;)&lt;/script>&lt;img src=x onerror=alert(1)>",
    );
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain("Mira &lt;b>Kos&lt;/b>");
    expect(page).not.toContain("<b>Kos");

    for (const [body, property] of [
      [{ ...profile, xHandle: "not a handle!" }, "xHandle"],
      [{ ...profile, name: "   " }, "name"],
      [{ ...profile, bio: "b".repeat(1001) }, "bio"],
      [{ ...profile, role: "owner" }, "role"],
    ] as const) {
      const refused = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { errors: { property: string }[] }).errors[0]!.property).toContain(property);
    }
    const read = await (await api(app, "GET", "/admin/api/profile", { cookie: author.cookie })).json();
    expect(read).toEqual({ ...profile, photoUrl: null, photoSrcset: null, profileLinks: [] });
    // A profile as read goes back as it is: the photo's copies, the server's to say, are accepted and ignored.
    const again = await api(app, "PUT", "/admin/api/profile", { cookie: author.cookie, body: read });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(read);
  });

  test("a wrong address and a wrong password get the same answer", async () => {
    const author = await makeStaff(app, "author");
    const wrongPassword = await api(app, "POST", "/admin/api/session", {
      body: { email: author.email, password: "not the password" },
    });
    const wrongEmail = await api(app, "POST", "/admin/api/session", {
      body: { email: "nobody@example.test", password: STAFF_PASSWORD },
    });
    expect(wrongPassword.status).toBe(401);
    expect(wrongEmail.status).toBe(401);
    const strip = async (res: Response) => {
      const { errors } = await res.json();
      return errors.map(({ id: _id, ...rest }: { id: string }) => rest);
    };
    expect(await strip(wrongPassword)).toEqual(await strip(wrongEmail));
    expect(wrongPassword.headers.get("set-cookie")).toBeNull();
  });

  test("after five failures from one address and IP each further try waits longer: 1 minute, then 2", async () => {
    const author = await makeStaff(app, "author");
    const attempt = (password: string) =>
      api(app, "POST", "/admin/api/session", {
        body: { email: author.email, password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`guess number ${i}`)).status).toBe(401);
    const locked = await attempt(STAFF_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBe(60);
    expect(await errorCodeOf(locked)).toBe("TOO_MANY_ATTEMPTS");
    clock.advance(60_000);
    expect((await attempt("guess number 5")).status).toBe(401);
    const longer = await attempt(STAFF_PASSWORD);
    expect(Number(longer.headers.get("retry-after"))).toBe(120);
    clock.advance(120_000);
    expect((await attempt(STAFF_PASSWORD)).status).toBe(200);
    // Signed in: the misses are forgotten, so the next mistake does not wait four minutes.
    expect((await attempt("one more slip")).status).toBe(401);
    clock.advance(15 * 60_000);
  });

  test("twenty failures from one address lock that client out of every account", async () => {
    for (let i = 0; i < 20; i++) {
      const res = await api(app, "POST", "/admin/api/session", {
        body: { email: `guess${i}@example.test`, password: "wrong password" },
      });
      expect(res.status).toBe(401);
    }
    const staff = await makeStaff(app, "editor");
    const locked = await api(app, "POST", "/admin/api/session", {
      body: { email: staff.email, password: STAFF_PASSWORD },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    clock.advance(15 * 60_000);
  });

  test("signing out ends this session; signing out everywhere ends every session of the account", async () => {
    const editor = await makeStaff(app, "editor");
    const first = await signInAs(app, editor.email);
    const second = await signInAs(app, editor.email);
    const third = await signInAs(app, editor.email);

    const out = await api(app, "DELETE", "/admin/api/session", { cookie: first });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^bs_staff=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    expect((await api(app, "GET", "/admin/api/session", { cookie: first })).status).toBe(401);
    expect((await api(app, "GET", "/admin/api/session", { cookie: second })).status).toBe(200);

    const everywhere = await api(app, "POST", "/admin/api/session/sign-out-everywhere", { cookie: second, body: {} });
    expect(everywhere.status).toBe(204);
    expect((await api(app, "GET", "/admin/api/session", { cookie: second })).status).toBe(401);
    expect((await api(app, "GET", "/admin/api/session", { cookie: third })).status).toBe(401);
  });

  test("a session expires after 14 days", async () => {
    const editor = await makeStaff(app, "editor");
    const cookie = await signInAs(app, editor.email);
    clock.advance(14 * 86_400_000 + 1000);
    expect(await errorCodeOf(await api(app, "GET", "/admin/api/session", { cookie }))).toBe("SIGN_IN_REQUIRED");
  });

  test("a password reset link sets a new password once and signs the account out everywhere", async () => {
    const author = await makeStaff(app, "author");
    const before = await signInAs(app, author.email);
    const asked = await api(app, "POST", "/admin/api/password-reset", { body: { email: author.email } });
    expect(asked.status).toBe(202);
    const token = await tokenFromEmail(smtp, author.email, "/admin/reset-password");

    const newPassword = "violet quarry anthem drizzle";
    const reset = await api(app, "POST", "/admin/api/password-reset/complete", {
      body: { token, password: newPassword },
    });
    expect(reset.status).toBe(204);
    expect((await api(app, "GET", "/admin/api/session", { cookie: before })).status).toBe(401);
    const again = await api(app, "POST", "/admin/api/password-reset/complete", {
      body: { token, password: "copper finch meadow lantern 1987" },
    });
    expect(await errorCodeOf(again)).toBe("LINK_INVALID");
    expect(await signInAs(app, author.email, newPassword)).toMatch(/^bs_staff=/);
  });

  test("a reset for an unknown address answers the same and sends nothing; an old link has expired", async () => {
    const unknown = await api(app, "POST", "/admin/api/password-reset", { body: { email: "ghost@example.test" } });
    expect(unknown.status).toBe(202);
    expect((await unknown.json()).message).toContain("ghost@example.test");

    const author = await makeStaff(app, "author");
    await api(app, "POST", "/admin/api/password-reset", { body: { email: author.email } });
    const token = await tokenFromEmail(smtp, author.email, "/admin/reset-password");
    clock.advance(31 * 60_000);
    const late = await api(app, "POST", "/admin/api/password-reset/complete", {
      body: { token, password: "saffron tundra pivot cobble" },
    });
    expect(await errorCodeOf(late)).toBe("LINK_INVALID");
    expect(smtp.pending().filter((m) => m.to === "ghost@example.test")).toEqual([]);
  });

  test("an invited editor accepts by email, chooses a name and password, and is signed in as editor", async () => {
    const admin = await signedInStaff(app, "admin");
    const email = `invitee-${kind}@example.test`;
    const invited = await api(app, "POST", "/admin/api/invitations", {
      cookie: admin.cookie,
      body: { email, role: "editor" },
    });
    expect(invited.status).toBe(201);
    expect((await invited.json()).invitation).toEqual(expect.objectContaining({ email, role: "editor" }));

    const listed = await api(app, "GET", "/admin/api/invitations", { cookie: admin.cookie });
    const listing = await listed.json();
    expect(listing.invitations).toEqual([expect.objectContaining({ email, role: "editor" })]);
    expect(Object.keys(listing.invitations[0]).sort()).toEqual(["createdAt", "email", "expiresAt", "role"]);

    const token = await tokenFromEmail(smtp, email, "/admin/invitation");
    const accepted = await api(app, "POST", "/admin/api/invitations/accept", {
      body: { token, name: "Nadia Editor", password: "orchid sleet ferrous banjo" },
    });
    expect(accepted.status).toBe(201);
    expect((await accepted.json()).staff).toEqual(
      expect.objectContaining({ email, name: "Nadia Editor", role: "editor" }),
    );
    const me = await api(app, "GET", "/admin/api/session", { cookie: staffCookieOf(accepted) });
    expect((await me.json()).staff.role).toBe("editor");
    const twice = await api(app, "POST", "/admin/api/invitations/accept", {
      body: { token, name: "Someone Else", password: "marzipan glacier hinge 52" },
    });
    expect(await errorCodeOf(twice)).toBe("LINK_INVALID");
  });

  test("two-factor sign-in asks for the current code once it is confirmed, and refuses a code used before", async () => {
    const editor = await signedInStaff(app, "editor");
    const enabled = async () =>
      (
        (await (await api(app, "GET", "/admin/api/two-factor", { cookie: editor.cookie })).json()) as {
          enabled: boolean;
        }
      ).enabled;
    expect(await enabled()).toBe(false);
    const begun = await api(app, "POST", "/admin/api/two-factor", { cookie: editor.cookie, body: {} });
    expect(begun.status).toBe(201);
    const { secret, uri } = await begun.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const codeNow = () => totp.generate({ timestamp: clock.now().getTime() });

    const confirmed = await api(app, "POST", "/admin/api/two-factor/confirm", {
      cookie: editor.cookie,
      body: { code: codeNow() },
    });
    expect(confirmed.status).toBe(204);
    expect(await enabled()).toBe(true);
    // At rest the secret is sealed: the database alone does not give the codes.
    const [stored] = await queryRows<{ secret: string }>(
      app.db,
      sql`SELECT secret FROM staff_two_factor WHERE staff_id = ${editor.id}`,
    );
    expect(stored!.secret).toMatch(/^v1\./);
    expect(stored!.secret).not.toContain(secret);
    clock.advance(30_000);

    const withoutCode = await api(app, "POST", "/admin/api/session", {
      body: { email: editor.email, password: STAFF_PASSWORD },
    });
    expect(withoutCode.status).toBe(401);
    expect(await errorCodeOf(withoutCode)).toBe("TWO_FACTOR_REQUIRED");
    const code = codeNow();
    const withCode = await api(app, "POST", "/admin/api/session", {
      body: { email: editor.email, password: STAFF_PASSWORD, code },
    });
    expect(withCode.status).toBe(200);
    const replayed = await api(app, "POST", "/admin/api/session", {
      body: { email: editor.email, password: STAFF_PASSWORD, code },
    });
    expect(await errorCodeOf(replayed)).toBe("TWO_FACTOR_CODE_WRONG");

    clock.advance(30_000);
    const wrongOff = await api(app, "POST", "/admin/api/two-factor/disable", {
      cookie: editor.cookie,
      body: { code: "000000" === codeNow() ? "111111" : "000000" },
    });
    expect(await errorCodeOf(wrongOff)).toBe("TWO_FACTOR_CODE_WRONG");
    const off = await api(app, "POST", "/admin/api/two-factor/disable", {
      cookie: editor.cookie,
      body: { code: codeNow() },
    });
    expect(off.status).toBe(204);
    expect(await enabled()).toBe(false);
    expect(await signInAs(app, editor.email)).toMatch(/^bs_staff=/);
  });

  test("a fourth reset request for one address within 15 minutes gets 429, known address or not", async () => {
    const author = await makeStaff(app, "author");
    for (const email of [author.email, "nobody-here@example.test"]) {
      for (let i = 0; i < 3; i++) {
        expect((await api(app, "POST", "/admin/api/password-reset", { body: { email } })).status).toBe(202);
      }
      const limited = await api(app, "POST", "/admin/api/password-reset", { body: { email } });
      expect(limited.status).toBe(429);
      expect(await errorCodeOf(limited)).toBe("TOO_MANY_RESETS");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    for (let i = 0; i < 3; i++) await tokenFromEmail(smtp, author.email, "/admin/reset-password");
    clock.advance(15 * 60_000);
  });
});

// The guards' tests and the outbox's share one app (a start is seconds of CPU): neither needs a mail server, and
// each makes its own staff and invitations. Its address is https, as a paper's is (the tests reach it over
// loopback), so the Secure cookie is checked on it too.
describe("on an https site without a mail server", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp({ template: "empty", env: { PUBLIC_URL: "https://news.example.test" } });
  });
  afterAll(() => app.close());

  describe("the newsroom API's guards", () => {
    test("a request sent by another site's page is refused before anything else", async () => {
      const editor = await signedInStaff(app, "editor");
      const res = await api(app, "POST", "/admin/api/session/sign-out-everywhere", {
        cookie: editor.cookie,
        body: {},
        headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      });
      expect(res.status).toBe(403);
      expect(await errorCodeOf(res)).toBe("CROSS_SITE_REQUEST");
      expect((await api(app, "GET", "/admin/api/session", { cookie: editor.cookie })).status).toBe(200);
    });

    test("a form or text body is refused: only JSON is accepted", async () => {
      const editor = await makeStaff(app, "editor");
      for (const type of ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]) {
        const res = await app.get("/admin/api/session", {
          method: "POST",
          headers: { "content-type": type },
          body: `email=${editor.email}&password=${STAFF_PASSWORD}`,
        });
        expect(res.status).toBe(415);
        expect(await errorCodeOf(res)).toBe("JSON_REQUIRED");
      }
    });

    test("malformed, misspelled and oversized input gets a 4xx naming the problem", async () => {
      const missing = await api(app, "POST", "/admin/api/session", { body: { email: "a@example.test" } });
      expect(missing.status).toBe(400);
      expect((await missing.json()).errors[0]).toEqual(expect.objectContaining({ code: "VALIDATION_FAILED" }));
      const extra = await api(app, "POST", "/admin/api/session", {
        body: { email: "a@example.test", password: "x", isAdmin: true },
      });
      expect(extra.status).toBe(400);
      const broken = await app.get("/admin/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"email":',
      });
      expect(broken.status).toBe(400);
      const huge = await api(app, "POST", "/admin/api/session", {
        body: { email: "a@example.test", password: "x".repeat(2 * 1024 * 1024) },
      });
      expect(huge.status).toBe(413);
      const badToken = await api(app, "POST", "/admin/api/password-reset/complete", {
        body: { token: "../../etc/passwd<script>", password: "tangerine marble orbit lighthouse" },
      });
      expect(badToken.status).toBe(400);
      expect((await badToken.json()).errors[0].property).toBe("token");
    });

    test("without a session every signed-in route answers 401", async () => {
      for (const [method, path] of [
        ["GET", "/admin/api/session"],
        ["GET", "/admin/api/staff"],
        ["GET", "/admin/api/invitations"],
        ["DELETE", "/admin/api/session"],
      ] as const) {
        const res = await api(app, method, path, { cookie: "bs_staff=forged-token-value" });
        expect(res.status).toBe(401);
      }
    });

    test("the API is described as OpenAPI from the same schemas the routes check", async () => {
      const res = await app.get("/admin/api/openapi.json");
      expect(res.status).toBe(200);
      const doc = await res.json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(["/admin/api/session", "/admin/api/articles", "/admin/api/articles/{id}"]),
      );
      expect(Object.keys(doc.paths["/admin/api/articles/{id}"]).sort()).toEqual(["get", "put"]);
      expect(doc.paths["/admin/api/articles/{id}"].put.responses).toHaveProperty("409");
      expect(JSON.stringify(doc)).not.toMatch(/password_?hash|token_?hash/i);
    });

    test("the cookie is Secure when the site is served over https", async () => {
      const editor = await makeStaff(app, "editor");
      const res = await app.get("/admin/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: editor.email, password: STAFF_PASSWORD }),
      });
      expect(res.headers.get("set-cookie")).toMatch(/; Secure$/);
    });
  });

  describe("without a mail server", () => {
    test("admins see the outbox with link tokens blanked; editors may not see it", async () => {
      const admin = await signedInStaff(app, "admin");
      const invited = await api(app, "POST", "/admin/api/invitations", {
        cookie: admin.cookie,
        body: { email: "outbox-invitee@example.test", role: "author" },
      });
      expect(invited.status).toBe(201);
      const outbox = async () => {
        const res = await api(app, "GET", "/admin/api/outbox", { cookie: admin.cookie });
        expect(res.status).toBe(200);
        return (await res.json()) as { mode: string; messages: { to: string; text: string }[] };
      };
      // Kept by the mail queue's runner moments after the invitation.
      await expect
        .poll(async () => (await outbox()).messages.map((m) => m.to))
        .toContain("outbox-invitee@example.test");
      const { mode, messages } = await outbox();
      expect(mode).toBe("outbox");
      const message = messages.find((m) => m.to === "outbox-invitee@example.test");
      expect(message?.text).toContain("/admin/invitation?token=…");
      const [stored] = await queryRows<{ text: string }>(
        app.db,
        sql`SELECT text FROM email_outbox WHERE to_address = 'outbox-invitee@example.test'`,
      );
      const token = new URL(stored!.text.match(/https?:\/\/\S+/)![0]).searchParams.get("token")!;
      expect(JSON.stringify(messages)).not.toContain(token);

      const editor = await signedInStaff(app, "editor");
      expect((await api(app, "GET", "/admin/api/outbox", { cookie: editor.cookie })).status).toBe(403);
    });

    test("the invitation page takes a name and password, creates the account and signs it in", async () => {
      const admin = await signedInStaff(app, "admin");
      await api(app, "POST", "/admin/api/invitations", {
        cookie: admin.cookie,
        body: { email: "page-invitee@example.test", role: "contributor" },
      });
      const kept = () =>
        queryRows<{ text: string }>(
          app.db,
          sql`SELECT text FROM email_outbox WHERE to_address = 'page-invitee@example.test'`,
        );
      // Kept by the mail queue's runner moments after the invitation.
      await expect.poll(async () => (await kept()).length).toBe(1);
      const [stored] = await kept();
      const link = new URL(stored!.text.match(/https?:\/\/\S+/)![0]);
      const token = link.searchParams.get("token")!;
      const opened = await app.get(`${link.pathname}${link.search}`);
      expect(opened.status).toBe(200);
      expect(opened.headers.get("referrer-policy")).toBe("no-referrer");
      expect(await opened.text()).toContain(`name="token" value="${token}"`);

      const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
        app.get("/admin/invitation", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", ...headers },
          body: new URLSearchParams(fields).toString(),
        });
      const forged = await form(
        { token, name: "Mallory", password: "juniper velvet ravine 33" },
        { "sec-fetch-site": "cross-site" },
      );
      expect(forged.status).toBe(403);
      const short = await form({ token, name: "Cem Contributor", password: "short" });
      expect(short.status).toBe(400);
      expect(await short.text()).toContain("at least 10 characters");
      const done = await form({ token, name: "Cem Contributor", password: "juniper velvet ravine 33" });
      expect(done.status).toBe(201);
      const me = await api(app, "GET", "/admin/api/session", { cookie: staffCookieOf(done) });
      expect((await me.json()).staff).toEqual(
        expect.objectContaining({ name: "Cem Contributor", role: "contributor" }),
      );
      expect((await app.get(`${link.pathname}${link.search}`)).status).toBe(404);
    });
  });
});
