/**
 * Every place a staff member chooses a password refuses a weak one, saying what is weak: the owner's setup
 * link, an invitation (API and page), a password reset (API and page) and BROADSHEET_OWNER_PASSWORD.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { openTestDatabase, type TestDatabase } from "../support/db.js";
import { api, signedInStaff, signInAs, staffCookieOf } from "../support/newsroom.js";

const STRONG = "tangerine marble orbit lighthouse";
type ErrorBody = { errors: { code: string; property: string | null; message: string }[] };

describe("choosing a staff password", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp({ template: "empty" });
  });
  afterAll(() => app.close());

  /** The token of the one link emailed to `to` (kept in the outbox: no SMTP_URL here). */
  const emailedToken = async (to: string, path: string) => {
    const kept = () => queryRows<{ text: string }>(app.db, sql`SELECT text FROM email_outbox WHERE to_address = ${to}`);
    // The mail queue's runner keeps it moments after the request.
    await expect.poll(async () => (await kept()).length).toBe(1);
    const [mail] = await kept();
    const url = new URL(mail!.text.match(/https?:\/\/\S+/)![0]);
    expect(url.pathname).toBe(path);
    return url.searchParams.get("token")!;
  };
  const form = (path: string, fields: Record<string, string>) =>
    app.get(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams(fields).toString(),
    });
  /** The weak choices: common, a common pattern, and the person's own address and name. */
  const weakFor = (person: { email: string; name: string }) => [
    { password: "password123", says: "This is a commonly used password." },
    { password: "correcthorse", says: "Add more words that are less common." },
    { password: person.email, says: "There should not be any personal or page related data." },
    { password: person.name, says: "There should not be any personal or page related data." },
  ];
  const expectWeak = async (res: Response, says: string) => {
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as ErrorBody;
    expect(errors[0]).toMatchObject({ code: "PASSWORD_TOO_WEAK", property: "password" });
    expect(errors[0]?.message).toContain(says);
  };

  test("the owner's setup link refuses a weak password on its page and takes a strong one", async () => {
    expect(app.built.owner.kind).toBe("setup-link");
    const token = new URL((app.built.owner as { url: string }).url).searchParams.get("token")!;
    const owner = { email: "marguerite.okonkwo@example.test", name: "Marguerite Okonkwo" };
    for (const { password, says } of weakFor(owner)) {
      const page = await form("/admin/setup", { token, ...owner, password });
      expect({ password, status: page.status }).toEqual({ password, status: 400 });
      const html = await page.text();
      expect(html).toContain("This password is too easy to guess.");
      expect(html).toContain(says);
    }
    expect((await form("/admin/setup", { token, ...owner, password: STRONG })).status).toBe(201);
    expect(await signInAs(app, owner.email, STRONG)).toMatch(/^bs_staff=/);
  });

  test("an invitation refuses a weak password through the API and its page, and the link still works", async () => {
    const admin = await signedInStaff(app, "admin");
    const invitee = { email: "nadia.haddad@example.test", name: "Nadia Haddad" };
    await api(app, "POST", "/admin/api/invitations", {
      cookie: admin.cookie,
      body: { email: invitee.email, role: "editor" },
    });
    const token = await emailedToken(invitee.email, "/admin/invitation");
    for (const { password, says } of weakFor(invitee)) {
      await expectWeak(
        await api(app, "POST", "/admin/api/invitations/accept", { body: { token, name: invitee.name, password } }),
        says,
      );
      const page = await form("/admin/invitation", { token, name: invitee.name, password });
      expect(page.status).toBe(400);
      expect(await page.text()).toContain("This password is too easy to guess.");
    }
    const accepted = await form("/admin/invitation", { token, name: invitee.name, password: STRONG });
    expect(accepted.status).toBe(201);
    expect(staffCookieOf(accepted)).toMatch(/^bs_staff=/);
  });

  test("a password reset refuses a weak password through the API and its page, and the link still works", async () => {
    const person = { email: "tomasz.wierzbicki@example.test", name: "Tomasz Wierzbicki" };
    await content.createStaff(app.db, { ...person, role: "author" });
    expect((await api(app, "POST", "/admin/api/password-reset", { body: { email: person.email } })).status).toBe(202);
    const token = await emailedToken(person.email, "/admin/reset-password");
    for (const { password, says } of weakFor(person)) {
      await expectWeak(
        await api(app, "POST", "/admin/api/password-reset/complete", { body: { token, password } }),
        says,
      );
      const page = await form("/admin/reset-password", { token, password });
      expect(page.status).toBe(400);
      expect(await page.text()).toContain("This password is too easy to guess.");
    }
    const reset = await api(app, "POST", "/admin/api/password-reset/complete", { body: { token, password: STRONG } });
    expect(reset.status).toBe(204);
    expect(await signInAs(app, person.email, STRONG)).toMatch(/^bs_staff=/);
  });
});

describe("BROADSHEET_OWNER_PASSWORD", () => {
  // The starts share one database without an owner (opening the embedded one is most of a start's time): a refused
  // start writes nothing, so the strong one that follows is still the first to create an owner.
  let opened: TestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase("pglite");
  });
  afterAll(() => opened.close());

  const start = async (password: string) => {
    const config = loadConfig({
      DATA_DIR: opened.dataDir,
      LOG_LEVEL: "silent",
      SEED_DEMO: "false",
      BROADSHEET_OWNER_EMAIL: "owner@example.test",
      BROADSHEET_OWNER_PASSWORD: password,
    });
    const built = await buildApp(config, { database: opened.database });
    await built.app.close();
    return built.owner;
  };

  test("a weak one stops the first start with a message naming the variable and what is weak", async () => {
    await expect(start("password123")).rejects.toMatchObject({
      code: "PASSWORD_TOO_WEAK",
      property: "BROADSHEET_OWNER_PASSWORD",
      message: expect.stringMatching(/^BROADSHEET_OWNER_PASSWORD is refused: .*commonly used password/),
    });
    await expect(start("owner@example.test")).rejects.toMatchObject({ property: "BROADSHEET_OWNER_PASSWORD" });
  });

  test("a strong one creates the owner", async () => {
    expect(await start(STRONG)).toEqual({ kind: "created", email: "owner@example.test" });
  });
});
