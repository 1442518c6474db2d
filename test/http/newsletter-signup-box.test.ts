/**
 * The sign-up box at the end of articles, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: a plain form posting
 * to a free newsletter's own sign-up (double opt-in, through the real SMTP server), the same for every reader, and
 * gone once no free newsletter is left.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { postForm } from "../support/members.js";
import { api, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

describe.each(databaseKinds())("the newsletter box at the end of articles on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  let path: string;
  let briefing: newsletters.Newsletter;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({ template: "empty", clock, database: kind, env: { SMTP_URL: smtp.url } });
    await app.make.settings();
    const deps = { db: app.db, clock };
    await newsletters.createNewsletter(deps, { name: "Members Digest", visibility: "paid" });
    briefing = await newsletters.createNewsletter(deps, {
      name: "Morning Note",
      description: "The day's news before breakfast.",
      isDefault: true,
    });
    const article = await app.make.article({ title: "Tide tables change" });
    path = `/${article.section.slug}/${article.slug}`;
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test("the article ends with a form posting to the free newsletter's sign-up, which emails a confirmation link", async () => {
    const html = await (await app.get(path)).text();
    expect(html).toContain(`action="/newsletters/${briefing.slug}"`);
    expect(html).toContain("Morning Note");
    expect(html).toContain("The day's news before breakfast.");
    expect(html).not.toContain("Members Digest");

    const email = `box-${kind}@example.test`;
    const asked = await postForm(app, `/newsletters/${briefing.slug}`, { email });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Check your email");
    const mail = await smtp.nextMessage(email);
    expect(mail.links.some((l) => l.includes("/newsletters/confirm?token="))).toBe(true);
    // Nothing per reader: the page after a sign-up is the page before it.
    expect(await (await app.get(path)).text()).not.toContain(email);
  });

  test("archiving the only free newsletter takes the box off the cached page", async () => {
    const editor = await signedInStaff(app, "editor");
    const res = await api(app, "POST", `/admin/api/newsletters/${briefing.id}/archive`, {
      body: {},
      cookie: editor.cookie,
    });
    expect(res.status).toBe(200);
    const html = await (await app.get(path)).text();
    expect(html).not.toContain(`action="/newsletters/${briefing.slug}"`);
    expect(html).toContain("Tide tables change");
  });
});
