/** Signing out revokes the session on the server: a copy of the old cookie reads nothing personal afterwards. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { postForm, signIn } from "../support/members.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
let n = 0;
const newEmail = () => `reader${++n}@example.test`;
const SECRET = "Only subscribers read how the harbour contract was priced.";

describe.each(databaseKinds())("signing out on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  async function paidArticlePath(): Promise<string> {
    const article = await app.make.article({
      accessLevel: "paid",
      paragraphs: ["Everyone reads this opening.", SECRET],
      previewAfter: 1,
    });
    return `/${article.section.slug}/${article.slug}`;
  }

  /** A member with open-ended paid access, signed in: the cookie's claim says "subscriber". */
  async function signedInSubscriber(email: string): Promise<string> {
    await signIn(app, smtp, email);
    const [row] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`);
    await members.setPaidAccess(app.db, row!.id, { kind: "subscriber", until: null });
    await app.built.invalidator.invalidate([members.memberTag(row!.id)]);
    return signIn(app, smtp, email);
  }

  const read = (path: string, cookie: string) => app.get(path, { headers: { cookie } }).then((r) => r.text());

  test("a replayed cookie is signed out on the account page at once and reads the wall within the claim life", async () => {
    const path = await paidArticlePath();
    const email = newEmail();
    const cookie = await signedInSubscriber(email);
    expect(await read(path, cookie)).toContain(SECRET);
    expect(await read("/account", cookie)).toContain(email);

    const out = await postForm(app, "/signout", {}, { cookie });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().join()).toContain("bs_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");

    // The browser forgot the cookie; whoever copied it replays it.
    const replayed = await app.get("/account", { headers: { cookie } });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toBe("/signin?next=%2Faccount");
    expect(await replayed.text()).not.toContain(email);
    expect(replayed.headers.getSetCookie().join()).toContain("Max-Age=0");
    for (const personal of ["/account/export", "/account/delete"]) {
      expect((await app.get(personal, { headers: { cookie } })).status).toBe(303);
    }
    expect((await postForm(app, "/account/name", { name: "Not Me" }, { cookie })).status).toBe(303);
    expect((await postForm(app, "/account/billing", {}, { cookie })).status).toBe(303);

    // Every process hears of the sign-out (this one at once) and asks the database before trusting the claim.
    expect(await read(path, cookie)).not.toContain(SECRET);
    // One that did not hear trusts the claim only while it is fresh (src/members/sessions.test.ts): by then, no process.
    clock.advance(members.CLAIM_LIFETIME_MS);
    const later = await app.get(path, { headers: { cookie } });
    const html = await later.text();
    expect(html).not.toContain(SECRET);
    expect(html).toContain('class="paywall"');
    expect(later.headers.getSetCookie().join()).toContain("Max-Age=0");
  });

  test("signing out in one browser leaves the member's other browsers signed in", async () => {
    const path = await paidArticlePath();
    const email = newEmail();
    const laptop = await signedInSubscriber(email);
    const phone = await signIn(app, smtp, email);
    expect((await postForm(app, "/signout", {}, { cookie: laptop })).status).toBe(303);
    expect((await app.get("/account", { headers: { cookie: laptop } })).status).toBe(303);
    expect(await read("/account", phone)).toContain(email);
    clock.advance(members.CLAIM_LIFETIME_MS);
    expect(await read(path, phone)).toContain(SECRET);
  });
});
