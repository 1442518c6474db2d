/**
 * The suppression list, on PGlite and (with TEST_DATABASE_URL) PostgreSQL, through the real SMTP server: a 5xx
 * refusal suppresses the address; newsletters skip suppressed addresses (counted, never queued); a bulk message
 * already queued is dropped; sign-in links still go. Postmark's webhooks, with their basic-auth credentials.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { enqueueJob } from "../../src/jobs/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { postForm } from "../support/members.js";
import { api, signedInStaff } from "../support/newsroom.js";
import { type ReceivedMail, type SmtpAnswer, startSmtpServer, type TestSmtp } from "../support/smtp.js";

const USER = "postmark-hooks";
const PASSWORD = "a-long-webhook-password-1234";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe.each(databaseKinds())("the suppression list on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  const scripted = new Map<string, SmtpAnswer[]>();
  const offered: ReceivedMail[] = [];
  const address = (name: string) => `${name}-${kind}@example.test`;

  const suppression = async (email: string) =>
    (
      await queryRows<{ reason: string; source: string; detail: string }>(
        app.db,
        sql`SELECT reason, source, detail FROM email_suppressions WHERE address = ${email.toLowerCase()}`,
      )
    )[0];
  const mailJobsTo = (email: string) =>
    queryRows<{ status: string; last_error: string | null }>(
      app.db,
      sql`SELECT status, last_error FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = ${email}
          ORDER BY created_at`,
    );
  const postmark = (body: unknown, auth = basic(USER, PASSWORD), type = "application/json") =>
    app.get("/webhooks/postmark", {
      method: "POST",
      headers: { "content-type": type, ...(auth ? { authorization: auth } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  // The documented shape of a bounce webhook (RecordType Bounce), trimmed to what is read and a little more.
  const bounce = (email: string, type: string, typeCode: number) => ({
    RecordType: "Bounce",
    MessageStream: "broadcast",
    ID: 4323372036854775,
    Type: type,
    TypeCode: typeCode,
    Name: type,
    Tag: "",
    MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
    ServerID: 23,
    Description: "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    Email: email,
    From: "news@paper.example",
    BouncedAt: "2031-05-06T10:01:00Z",
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: "Budget passes",
  });

  beforeAll(async () => {
    smtp = await startSmtpServer({
      answer: (mail) => {
        offered.push(mail);
        return scripted.get(mail.to)?.shift();
      },
    });
    app = await startApp({
      template: "empty",
      database: kind,
      smtp,
      env: { POSTMARK_WEBHOOK_USER: USER, POSTMARK_WEBHOOK_PASSWORD: PASSWORD },
    });
    await app.make.settings();
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test("a 550 suppresses the address; a sign-in link still reaches it; a newsletter skips it, counted, never queued", async () => {
    const refused = address("refused");
    const kept = address("kept");
    scripted.set(refused, [{ code: 550, message: "5.1.1 No such mailbox here" }]);
    expect((await postForm(app, "/signin", { email: refused })).status).toBe(200);
    await expect.poll(() => suppression(refused)).toMatchObject({ reason: "smtp_rejected", source: "smtp" });
    expect((await suppression(refused))?.detail).toContain("550 5.1.1 No such mailbox here");

    // Transactional: a reader who asks for a link gets it, suppressed or not.
    expect((await postForm(app, "/signin", { email: refused.toUpperCase() })).status).toBe(200);
    await smtp.nextMessage(refused);

    const alerts = await newsletters.createNewsletter(
      { db: app.db, clock: app.built.clock },
      { name: `Alerts ${kind}`, cadence: "per-article" },
    );
    for (const email of [refused, kept]) {
      const { member } = await members.ensureVerifiedMember(app.db, { email, now: app.built.clock.now() });
      await newsletters.saveChoices(app.db, {
        memberId: member.id,
        chosenIds: [alerts.id],
        hasPaidAccess: false,
        source: "account",
        at: app.built.clock.now(),
      });
    }
    const article = await app.make.article({ title: "Budget passes" });
    const editor = await signedInStaff(app, "editor");
    const offeredBefore = offered.filter((m) => m.to === refused).length;
    const res = await api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(res.status).toBe(201);
    const { send } = (await res.json()) as { send: { id: string } };
    expect((await smtp.nextMessage(kept)).subject).toBe("Budget passes");
    const sendRow = async () =>
      (
        await queryRows<{ status: string; queued: number; suppressed: number }>(
          app.db,
          sql`SELECT status, queued, suppressed FROM newsletter_sends WHERE id = ${send.id}`,
        )
      )[0];
    await expect.poll(sendRow).toEqual({ status: "sent", queued: 1, suppressed: 1 });

    // The send's job run again: nothing is queued and the skip is not counted twice.
    await app.db.execute(sql`UPDATE newsletter_sends SET status = 'queued' WHERE id = ${send.id}`);
    await enqueueJob(app.db, { kind: newsletters.NEWSLETTER_SEND_JOB, payload: { sendId: send.id } });
    await expect.poll(sendRow).toEqual({ status: "sent", queued: 1, suppressed: 1 });
    const jobs = await mailJobsTo(refused);
    expect(jobs.map((j) => j.status)).toEqual(["failed", "succeeded"]);
    expect(offered.filter((m) => m.to === refused)).toHaveLength(offeredBefore);
  });

  test("a bulk message already queued to an address suppressed since is dropped, saying why", async () => {
    const email = address("later");
    expect((await postmark(bounce(email, "HardBounce", 1))).status).toBe(200);
    await enqueueJob(app.db, {
      kind: "mail.send",
      payload: {
        to: email,
        subject: "Issue",
        html: "<p>Issue</p>",
        text: "Issue",
        fromName: "Paper",
        messageId: "<bulk-1@localhost>",
        bulk: true,
      },
    });
    await expect.poll(async () => (await mailJobsTo(email)).map((j) => j.status)).toEqual(["failed"]);
    expect((await mailJobsTo(email))[0]?.last_error).toBe(
      `not sent: ${email} is on the suppression list (hard_bounce)`,
    );
    expect(offered.filter((m) => m.to === email)).toEqual([]);
  });

  test("Postmark: hard bounces and complaints suppress, soft bounces and other records do not", async () => {
    const hard = address("Hard");
    const soft = address("soft");
    const complaint = address("complaint");
    const answer = async (res: Response) => ({ status: res.status, body: await res.json() });

    expect(await answer(await postmark(bounce(hard, "HardBounce", 1)))).toEqual({
      status: 200,
      body: { received: true, result: "suppressed" },
    });
    expect(await suppression(hard)).toMatchObject({ reason: "hard_bounce", source: "postmark" });
    expect((await suppression(hard))?.detail).toContain("550 5.1.1");
    expect((await answer(await postmark(bounce(hard, "HardBounce", 1)))).body.result).toBe("already suppressed");

    expect((await postmark(bounce(soft, "SoftBounce", 4096))).status).toBe(200);
    expect((await postmark(bounce(soft, "Transient", 2))).status).toBe(200);
    expect(await suppression(soft)).toBeUndefined();

    const spam = { ...bounce(complaint, "SpamComplaint", 512), RecordType: "SpamComplaint" };
    expect((await postmark(spam)).status).toBe(200);
    expect(await suppression(complaint)).toMatchObject({ reason: "complaint", source: "postmark" });

    const delivery = { RecordType: "Delivery", ServerID: 23, MessageID: "x", Recipient: soft, Details: "ok" };
    expect(await answer(await postmark(delivery))).toMatchObject({ status: 200 });
    expect(await suppression(soft)).toBeUndefined();
  });

  test("Postmark: wrong or missing credentials are refused before the body is read; malformed bodies get a 400", async () => {
    const email = address("forged");
    for (const auth of [
      basic(USER, "wrong-password-wrong-1"),
      basic("someone", PASSWORD),
      "Bearer abc",
      "",
      "Basic !!",
    ]) {
      expect((await postmark(bounce(email, "HardBounce", 1), auth)).status, auth).toBe(401);
    }
    // An unauthenticated malformed body is a 401 too: nothing is parsed for a stranger.
    expect((await postmark("{not json", basic(USER, "nope"))).status).toBe(401);
    expect(await suppression(email)).toBeUndefined();

    const bad = async (body: unknown) => (await postmark(body)).status;
    expect(await bad("{not json")).toBe(400);
    expect(await bad([bounce(email, "HardBounce", 1)])).toBe(400);
    expect(await bad({ ...bounce(email, "HardBounce", 1), Email: "not an address" })).toBe(400);
    expect(await bad({ ...bounce(email, "HardBounce", 1), Email: `${"a".repeat(400)}@example.test` })).toBe(400);
    expect(await bad({ ...bounce(email, "HardBounce", 1), Type: 1 })).toBe(400);
    expect(await bad({ ...bounce(email, "HardBounce", 1), RecordType: undefined })).toBe(400);
    expect(await bad({ ...bounce(email, "HardBounce", 1), Details: "x".repeat(300 * 1024) })).toBe(413);
    expect((await postmark(bounce(email, "HardBounce", 1), basic(USER, PASSWORD), "text/plain")).status).toBe(415);
    expect(await suppression(email)).toBeUndefined();
  });
});
