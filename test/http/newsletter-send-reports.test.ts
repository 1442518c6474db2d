/**
 * A newsletter's sends as the newsroom reports them, and cancelling one, through the real SMTP server: messages
 * still waiting are taken back, members not yet queued get nothing, and a finished send cannot be cancelled.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { mailJobsInFlight } from "../../src/email/index.js";
import { enqueueJob } from "../../src/jobs/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

type Report = {
  id: string;
  kind: string;
  status: string;
  headlines: string[];
  queued: number;
  waiting: number;
  delivered: number;
  failed: number;
  withdrawn: number;
  suppressed: number;
  unsubscribedAfter: number;
  isCancellable: boolean;
};

const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.each(databaseKinds())("newsletter send reports and cancelling on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  let editor: StaffAccount;
  let author: StaffAccount;
  const clock = fixedClock(new Date("2031-06-02T10:00:00Z"));
  // The first message is held at the mail server until released: those claimed with it wait in the mail pool
  // behind it (they go out whatever happens), the rest in the queue.
  let release: () => void = () => undefined;
  let isHolding = false;
  let held = 0;

  const newsletterWith = async (name: string, count: number) => {
    const newsletter = await newsletters.createNewsletter({ db: app.db, clock }, { name });
    const emails: string[] = [];
    for (let i = 0; i < count; i++) {
      const email = `${name.toLowerCase()}-${i}-${kind}@example.test`;
      const { member } = await members.ensureVerifiedMember(app.db, { email, now: clock.now() });
      await newsletters.saveChoices(app.db, {
        memberId: member.id,
        chosenIds: [newsletter.id],
        hasPaidAccess: false,
        source: "account",
        at: clock.now(),
      });
      emails.push(email);
    }
    return { newsletter, emails };
  };
  const reports = async (newsletterId: string, cookie = editor.cookie) => {
    const res = await api(app, "GET", `/admin/api/newsletters/${newsletterId}/sends`, { cookie });
    expect(res.status).toBe(200);
    return ((await res.json()) as { sends: Report[] }).sends;
  };
  const cancel = (newsletterId: string, sendId: string, body: unknown = {}, cookie = editor.cookie) =>
    api(app, "POST", `/admin/api/newsletters/${newsletterId}/sends/${sendId}/cancel`, { body, cookie });
  const delivered = (emails: string[]) => emails.flatMap((e) => smtp.acceptedFor(e)).length;

  beforeAll(async () => {
    smtp = await startSmtpServer({
      answer: () => {
        if (!isHolding) return undefined;
        isHolding = false;
        held++;
        return new Promise((resolve) => {
          release = () => resolve(undefined);
        });
      },
    });
    app = await startApp({
      template: "empty",
      clock,
      database: kind,
      smtp,
      env: { PUBLIC_URL: "https://paper.example", MAIL_CONCURRENCY: "1" },
    });
    await app.make.settings();
    editor = await signedInStaff(app, "editor");
    author = await signedInStaff(app, "author");
  });
  afterAll(async () => {
    release();
    await app?.close();
    await smtp?.close();
  });

  test("cancelling takes back the messages still queued; the report counts what went and who left", async () => {
    // One SMTP connection: the runner holds this many messages at once, and two more wait in the queue.
    const inFlight = mailJobsInFlight(1);
    const { newsletter, emails } = await newsletterWith("Morning", inFlight + 2);
    const article = await app.make.article({ title: "Harbour reopens" });
    isHolding = true;
    const posted = await api(app, "POST", `/admin/api/newsletters/${newsletter.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(posted.status).toBe(201);
    const { send } = (await posted.json()) as { send: { id: string } };
    await until(async () => held === 1 && (await reports(newsletter.id))[0]?.status === "sent", "the fan-out");

    const [before] = await reports(newsletter.id);
    expect(before).toMatchObject({
      id: send.id,
      kind: "article",
      headlines: ["Harbour reopens"],
      queued: inFlight + 2,
      waiting: inFlight + 2,
      delivered: 0,
      isCancellable: true,
    });
    expect(
      (await api(app, "GET", `/admin/api/newsletters/${newsletter.id}/sends`, { cookie: author.cookie })).status,
    ).toBe(403);
    expect((await cancel(newsletter.id, send.id, {}, author.cookie)).status).toBe(403);
    const unknown = await cancel(newsletter.id, "00000000-0000-4000-8000-000000000000");
    expect(unknown.status).toBe(404);
    expect(await errorCodeOf(unknown)).toBe("SEND_NOT_FOUND");
    expect((await cancel(newsletter.id, "not-a-send")).status).toBe(400);
    expect((await cancel(newsletter.id, send.id, { now: true })).status).toBe(400);
    expect(
      (
        await api(app, "GET", "/admin/api/newsletters/00000000-0000-4000-8000-000000000000/sends", {
          cookie: editor.cookie,
        })
      ).status,
    ).toBe(404);

    const cancelled = await cancel(newsletter.id, send.id);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { send: Report }).send).toMatchObject({
      status: "cancelled",
      withdrawn: 2,
      waiting: inFlight,
      isCancellable: false,
    });
    release();
    await until(() => delivered(emails) === inFlight, "the messages being sent");
    await new Promise((r) => setTimeout(r, 300));
    expect(delivered(emails)).toBe(inFlight);

    // One reader leaves after the send.
    const leaver = await members.findMemberByEmail(app.db, emails[1] ?? "");
    clock.advance(60_000);
    await newsletters.saveChoices(app.db, {
      memberId: leaver?.id ?? "",
      chosenIds: [],
      hasPaidAccess: false,
      source: "account",
      at: clock.now(),
    });
    await until(async () => (await reports(newsletter.id))[0]?.waiting === 0, "the queue to settle");
    expect((await reports(newsletter.id))[0]).toMatchObject({
      status: "cancelled",
      queued: inFlight + 2,
      withdrawn: 2,
      waiting: 0,
      delivered: inFlight,
      failed: 0,
      unsubscribedAfter: 1,
    });
    const again = await cancel(newsletter.id, send.id);
    expect(again.status).toBe(409);
    expect(await errorCodeOf(again)).toBe("SEND_FINISHED");
  });

  test("a send cancelled before its members are queued reaches nobody; a finished one cannot be cancelled", async () => {
    const { newsletter, emails } = await newsletterWith("Evening", 2);
    const article = await app.make.article({ title: "Council votes" });
    // A send whose fan-out job has not been reached yet (a busy queue): held back an hour.
    const [send] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO newsletter_sends (newsletter_id, kind, article_id, status, created_at)
          VALUES (${newsletter.id}, 'article', ${article.id}, 'queued', ${clock.now().toISOString()}::timestamptz)
          RETURNING id`,
    );
    const sendId = send?.id ?? "";
    const key = `newsletter-send:${sendId}`;
    await enqueueJob(app.db, { kind: newsletters.NEWSLETTER_SEND_JOB, payload: { sendId }, key, delaySeconds: 3600 });
    expect((await reports(newsletter.id))[0]).toMatchObject({ status: "queued", isCancellable: true });

    expect((await cancel(newsletter.id, sendId)).status).toBe(200);
    await app.db.execute(sql`UPDATE jobs SET run_at = now() WHERE key = ${key}`);
    const jobStatus = async () =>
      (await queryRows<{ status: string }>(app.db, sql`SELECT status FROM jobs WHERE key = ${key}`))[0]?.status;
    await until(async () => (await jobStatus()) === "succeeded", "the fan-out job");
    await new Promise((r) => setTimeout(r, 200));
    expect(delivered(emails)).toBe(0);
    expect((await reports(newsletter.id))[0]).toMatchObject({ status: "cancelled", queued: 0, delivered: 0 });

    // A send that went out whole has nothing left to stop.
    const other = await app.make.article({ title: "Ferry strike ends" });
    const posted = await api(app, "POST", `/admin/api/newsletters/${newsletter.id}/sends`, {
      body: { articleId: other.id },
      cookie: editor.cookie,
    });
    const { send: done } = (await posted.json()) as { send: { id: string } };
    await until(async () => (await reports(newsletter.id))[0]?.delivered === 2, "the second send");
    expect((await reports(newsletter.id))[0]?.isCancellable).toBe(false);
    const refused = await cancel(newsletter.id, done.id);
    expect(refused.status).toBe(409);
    expect(await errorCodeOf(refused)).toBe("SEND_FINISHED");
    // Another newsletter's send is not found under this one.
    const { newsletter: elsewhere } = await newsletterWith("Elsewhere", 0);
    expect((await cancel(elsewhere.id, done.id)).status).toBe(404);
  });
});
