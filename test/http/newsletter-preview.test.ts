/**
 * Before a send, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: the email previewed per reader class with the
 * paywall held, a test sent through the real SMTP server to the signed-in staff member only, and an article's sends.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const PREVIEW = "The harbour reopened at dawn.";
const GATED = "The port authority had been warned twice.";
const NO_ID = "00000000-0000-4000-8000-000000000000";

describe.each(databaseKinds())("previewing and testing a newsletter issue on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  let editor: StaffAccount;
  let briefing: newsletters.Newsletter;
  let article: { id: string; title: string };
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  const reader = `reader-${kind}@example.test`;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({
      template: "empty",
      clock,
      database: kind,
      smtp,
      env: { PUBLIC_URL: "https://paper.example" },
    });
    await app.make.settings();
    editor = await signedInStaff(app, "editor");
    briefing = await newsletters.createNewsletter({ db: app.db, clock }, { name: "Briefing", cadence: "per-article" });
    article = await app.make.article({
      title: "Harbour reopens",
      accessLevel: "paid",
      paragraphs: [PREVIEW, GATED],
      previewAfter: 1,
    });
    const { member } = await members.ensureVerifiedMember(app.db, { email: reader, now: clock.now() });
    await newsletters.saveChoices(app.db, {
      memberId: member.id,
      chosenIds: [briefing.id],
      hasPaidAccess: false,
      source: "account",
      at: clock.now(),
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  const preview = (query: string, cookie = editor.cookie) =>
    api(app, "GET", `/admin/api/newsletters/${briefing.id}/preview?${query}`, { cookie });

  test("the preview holds the paywall per reader class: a free reader the call to subscribe, a subscriber all", async () => {
    const free = await preview(`articleId=${article.id}&reader=free`);
    expect(free.status).toBe(200);
    const asFree = (await free.json()) as { subject: string; html: string; text: string };
    expect(asFree.subject).toBe("Harbour reopens");
    expect(asFree.html).toContain(PREVIEW);
    expect(asFree.html + asFree.text).not.toContain(GATED);
    expect(asFree.text).toContain("Subscribe to read on");

    const paid = (await (await preview(`articleId=${article.id}&reader=subscriber`)).json()) as { html: string };
    expect(paid.html).toContain(PREVIEW);
    expect(paid.html).toContain(GATED);
    expect(paid.html).not.toContain("Subscribe to read on");
  });

  test("a preview with a bad reader class, a malformed or unknown article, or by an author is refused", async () => {
    expect((await preview(`articleId=${article.id}&reader=everyone`)).status).toBe(400);
    expect((await preview(`articleId=not-a-uuid&reader=free`)).status).toBe(400);
    expect((await preview(`reader=free`)).status).toBe(400);
    expect((await preview(`articleId=${article.id}&reader=free&x=1`)).status).toBe(400);
    const unknown = await preview(`articleId=${NO_ID}&reader=free`);
    expect(unknown.status).toBe(404);
    expect(await errorCodeOf(unknown)).toBe("ARTICLE_NOT_FOUND");
    const noNewsletter = await api(
      app,
      "GET",
      `/admin/api/newsletters/${NO_ID}/preview?articleId=${article.id}&reader=free`,
      {
        cookie: editor.cookie,
      },
    );
    expect(noNewsletter.status).toBe(404);
    const author = await signedInStaff(app, "author");
    expect((await preview(`articleId=${article.id}&reader=subscriber`, author.cookie)).status).toBe(403);
  });

  test("a test send goes to the signed-in editor only, marked as a test, and records no send", async () => {
    const res = await api(app, "POST", `/admin/api/newsletters/${briefing.id}/test-sends`, {
      body: { articleId: article.id, reader: "free" },
      cookie: editor.cookie,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ to: editor.email, subject: "[Test] Harbour reopens" });
    const mail = await smtp.nextMessage(editor.email);
    expect(mail.subject).toBe("[Test] Harbour reopens");
    expect(mail.text).toContain(PREVIEW);
    expect(mail.text + mail.html).not.toContain(GATED);
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();
    // No send, so no feedback-loop campaign to report complaints against.
    expect(mail.headers["feedback-id"]).toBeUndefined();
    expect(mail.headers["list-id"]).toContain("briefing.paper.example");
    expect(smtp.acceptedFor(reader)).toHaveLength(0);
    const sends = await queryRows(app.db, sql`SELECT 1 FROM newsletter_sends WHERE article_id = ${article.id}`);
    expect(sends).toHaveLength(0);

    const hostile = await api(app, "POST", `/admin/api/newsletters/${briefing.id}/test-sends`, {
      body: { articleId: article.id, reader: "free", to: "someone-else@example.test" },
      cookie: editor.cookie,
    });
    expect(hostile.status).toBe(400);
  });

  test("an article's sends are listed with their state once one is made", async () => {
    const list = () =>
      api(app, "GET", `/admin/api/newsletters/sends?articleId=${article.id}`, { cookie: editor.cookie });
    expect(await (await list()).json()).toEqual({ sends: [] });
    const sent = await api(app, "POST", `/admin/api/newsletters/${briefing.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(sent.status).toBe(201);
    await smtp.nextMessage(reader);
    const { sends } = (await (await list()).json()) as { sends: { newsletterId: string; status: string }[] };
    expect(sends).toHaveLength(1);
    expect(sends[0]?.newsletterId).toBe(briefing.id);
    expect(["queued", "sending", "sent"]).toContain(sends[0]?.status);
    expect(
      (await api(app, "GET", "/admin/api/newsletters/sends?articleId=nope", { cookie: editor.cookie })).status,
    ).toBe(400);
  });
});
