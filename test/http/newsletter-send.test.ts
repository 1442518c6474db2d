/**
 * An article sent as a newsletter, on PGlite and (with TEST_DATABASE_URL) PostgreSQL, through the real SMTP
 * server: one message per member, the paywall held per reader, RFC 8058 headers, and the signed one-click link.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { enqueueJob } from "../../src/jobs/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const PREVIEW = "The budget vote came late on Tuesday night.";
const GATED = "Three ministers privately warned of a shortfall.";

describe.each(databaseKinds())("sending an article as a newsletter on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  let editor: StaffAccount;
  let alerts: newsletters.Newsletter;
  let article: { id: string; title: string };
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  const free = `free-${kind}@example.test`;
  const paid = `paid-${kind}@example.test`;
  const other = `other-${kind}@example.test`;

  const subscribe = async (email: string, paidAccess: boolean) => {
    const { member } = await members.ensureVerifiedMember(app.db, { email, now: clock.now() });
    if (paidAccess) await app.db.execute(sql`UPDATE members SET paid_access = 'complimentary' WHERE id = ${member.id}`);
    await newsletters.saveChoices(app.db, {
      memberId: member.id,
      chosenIds: [alerts.id],
      hasPaidAccess: paidAccess,
      source: "account",
      at: clock.now(),
    });
    return member;
  };
  const sendStatus = async (id: string) =>
    (
      await queryRows<{ status: string; queued: number }>(
        app.db,
        sql`SELECT status, queued FROM newsletter_sends WHERE id = ${id}`,
      )
    )[0];
  const waitForSent = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      if ((await sendStatus(id))?.status === "sent") return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the send did not finish");
  };
  const isSubscribed = async (email: string) =>
    (
      await queryRows<{ is_subscribed: boolean; source: string }>(
        app.db,
        sql`SELECT s.is_subscribed, s.source FROM newsletter_subscriptions s JOIN members m ON m.id = s.member_id
            WHERE m.email = ${email} AND s.newsletter_id = ${alerts.id}`,
      )
    )[0];

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
    alerts = await newsletters.createNewsletter(
      { db: app.db, clock },
      { name: "Alerts", cadence: "per-article", replyTo: "desk@paper.example" },
    );
    article = await app.make.article({
      title: "Budget passes",
      accessLevel: "paid",
      paragraphs: [PREVIEW, GATED],
      previewAfter: 1,
    });
    await subscribe(free, false);
    await subscribe(paid, true);
    await subscribe(other, false);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test("each member gets exactly one message: the free reader the preview and a call to subscribe, the subscriber all", async () => {
    const res = await api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(res.status).toBe(201);
    const { send } = (await res.json()) as { send: { id: string } };
    const toFree = await smtp.nextMessage(free);
    const toPaid = await smtp.nextMessage(paid);
    const toOther = await smtp.nextMessage(other);
    await waitForSent(send.id);

    expect(toFree.subject).toBe("Budget passes");
    expect(toFree.text).toContain(PREVIEW);
    expect(toFree.html).toContain(PREVIEW);
    expect(toFree.text + toFree.html).not.toContain(GATED);
    expect(toFree.text).toContain("/subscribe?next=");
    expect(toPaid.text).toContain(PREVIEW);
    expect(toPaid.text).toContain(GATED);
    expect(toPaid.html).toContain(GATED);

    for (const mail of [toFree, toPaid]) {
      expect(mail.headers["list-unsubscribe"]).toMatch(
        /^<https:\/\/paper\.example\/newsletters\/unsubscribe\?token=[\w.-]+>$/,
      );
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.headers["list-id"]).toBe('"Alerts" <alerts.paper.example>');
      expect(mail.headers.precedence).toBe("bulk");
      expect(mail.headers["feedback-id"]).toBe(`${send.id}:alerts:broadsheet:paper.example`);
      expect(mail.headers["reply-to"]).toContain("desk@paper.example");
    }
    expect(toFree.headers["list-unsubscribe"]).not.toBe(toPaid.headers["list-unsubscribe"]);
    // One issue is rendered per reader class; each member's copy carries that member's own link, in the body too.
    expect(toOther.text).toBe(
      toFree.text.replaceAll(
        toFree.headers["list-unsubscribe"]!.slice(1, -1),
        toOther.headers["list-unsubscribe"]!.slice(1, -1),
      ),
    );
    expect(toOther.headers["list-unsubscribe"]).not.toBe(toFree.headers["list-unsubscribe"]);
    for (const mail of [toFree, toPaid, toOther]) {
      const own = mail.headers["list-unsubscribe"]!.slice(1, -1);
      expect(mail.text).toContain(own);
      expect(mail.html).toContain(own);
    }

    // The issue is stored once per reader class, not once per member: the jobs name a shared body and hold no
    // copy of the article.
    const [stored] = await queryRows<{ bodies: number; copies: number }>(
      app.db,
      sql`SELECT count(DISTINCT payload -> 'body' ->> 'id')::int AS bodies,
                 count(*) FILTER (WHERE payload ? 'html' OR payload::text LIKE ${`%${GATED}%`})::int AS copies
            FROM jobs WHERE key LIKE ${`mail:newsletter-send:${send.id}:%`}`,
    );
    expect(stored).toEqual({ bodies: 2, copies: 0 });

    // The send's job run again (a retry, a crash after queuing): no member gets a second message.
    await app.db.execute(sql`UPDATE newsletter_sends SET status = 'queued' WHERE id = ${send.id}`);
    await enqueueJob(app.db, { kind: newsletters.NEWSLETTER_SEND_JOB, payload: { sendId: send.id } });
    await waitForSent(send.id);
    await new Promise((r) => setTimeout(r, 300));
    for (const email of [free, paid, other]) expect(smtp.acceptedFor(email), email).toHaveLength(1);
    expect((await sendStatus(send.id))?.queued).toBe(3);

    const again = await api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe("ALREADY_SENT");
  });

  test("a draft, an unknown article or an author's request is refused, and nothing is queued", async () => {
    const draft = await app.make.article({ status: "draft" });
    const post = (body: unknown, cookie = editor.cookie) =>
      api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, { body, cookie });
    expect(await errorCodeOf(await post({ articleId: draft.id }))).toBe("ARTICLE_NOT_PUBLISHED");
    expect((await post({ articleId: "00000000-0000-4000-8000-000000000000" })).status).toBe(400);
    expect((await post({ articleId: "not-a-uuid" })).status).toBe(400);
    expect((await post({ articleId: article.id, extra: 1 })).status).toBe(400);
    const author = await signedInStaff(app, "author");
    expect((await post({ articleId: draft.id }, author.cookie)).status).toBe(403);
    const sends = await queryRows(app.db, sql`SELECT 1 FROM newsletter_sends WHERE article_id = ${draft.id}`);
    expect(sends).toHaveLength(0);
  });

  test("the one-click POST unsubscribes without signing in; a forged or altered link is refused", async () => {
    const second = await app.make.article({ title: "Second story" });
    const res = await api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, {
      body: { articleId: second.id },
      cookie: editor.cookie,
    });
    expect(res.status).toBe(201);
    const toFree = await smtp.nextMessage(free);
    const toPaid = await smtp.nextMessage(paid);
    const link = (mail: typeof toFree) => new URL(mail.headers["list-unsubscribe"]!.slice(1, -1));
    const local = (url: URL) => `${url.pathname}${url.search}`;
    const token = link(toFree).searchParams.get("token")!;

    // Altered: the free reader's claim, rewritten to name the subscriber, under the old signature.
    const [body, signature] = token.split(".") as [string, string];
    const claim = JSON.parse(Buffer.from(body, "base64url").toString()) as Record<string, unknown>;
    const paidMember = await members.findMemberByEmail(app.db, paid);
    const altered = `${Buffer.from(JSON.stringify({ ...claim, memberId: paidMember!.id })).toString("base64url")}.${signature}`;
    // One character of the signature changed (the first: the last carries only some bits).
    const resigned = `${body}.${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    for (const bad of [altered, resigned, "not.a-token-at-all"]) {
      const refused = await app.get(`/newsletters/unsubscribe?token=${bad}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(refused.status, bad).toBe(400);
      expect((await app.get(`/newsletters/unsubscribe?token=${bad}`)).status).toBe(400);
    }
    expect((await isSubscribed(paid))?.is_subscribed).toBe(true);

    // The preference page (GET) changes nothing; the provider's POST, with no cookie or origin, unsubscribes.
    const page = await app.get(local(link(toFree)));
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(await page.text()).toContain(free);
    expect((await isSubscribed(free))?.is_subscribed).toBe(true);
    const oneClick = await app.get(local(link(toFree)), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.status).toBe(200);
    expect(await isSubscribed(free)).toEqual({ is_subscribed: false, source: "unsubscribe-link" });

    // RFC 8058's own example posts multipart/form-data.
    const form = new FormData();
    form.append("List-Unsubscribe", "One-Click");
    const multipart = await app.get(local(link(toPaid)), { method: "POST", body: form });
    expect(multipart.status).toBe(200);
    expect((await isSubscribed(paid))?.is_subscribed).toBe(false);
  });

  test("an archived newsletter is not sent, and a send under way when it is archived queues nothing more", async () => {
    const deps = { db: app.db, clock };
    const weekly = await newsletters.createNewsletter(deps, { name: "Weekly Extra" });
    const reader = `weekly-${kind}@example.test`;
    const { member } = await members.ensureVerifiedMember(app.db, { email: reader, now: clock.now() });
    await newsletters.saveChoices(app.db, {
      memberId: member.id,
      chosenIds: [weekly.id],
      hasPaidAccess: false,
      source: "account",
      at: clock.now(),
    });
    await newsletters.archiveNewsletter(deps, weekly.id);
    const refused = await api(app, "POST", `/admin/api/newsletters/${weekly.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(refused.status).toBe(409);
    expect(await errorCodeOf(refused)).toBe("NEWSLETTER_ARCHIVED");
    // A send recorded before the archive, whose job runs after it.
    const [send] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO newsletter_sends (newsletter_id, article_id, status, created_at)
          VALUES (${weekly.id}, ${article.id}, 'queued', now()) RETURNING id`,
    );
    await enqueueJob(app.db, { kind: newsletters.NEWSLETTER_SEND_JOB, payload: { sendId: send!.id } });
    await waitForSent(send!.id);
    expect((await sendStatus(send!.id))?.queued).toBe(0);
    expect(smtp.acceptedFor(reader)).toHaveLength(0);
  });
});
