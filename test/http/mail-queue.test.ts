/**
 * Mail on the job queue, through a real SMTP server on 127.0.0.1: each message arrives once; a server that
 * refuses for now is retried with the same Message-ID; a permanent refusal ends the message as failed, listed
 * for admins.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { postForm } from "../support/members.js";
import { api, signedInStaff } from "../support/newsroom.js";
import { type ReceivedMail, type SmtpAnswer, startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
/** Scripted answers per address, used up in order; once they run out the server accepts. */
const scripted = new Map<string, SmtpAnswer[]>();
/** Every message the server was offered, refused ones included. */
const offered: ReceivedMail[] = [];
let n = 0;
const newEmail = () => `queue-reader-${++n}@example.test`;

beforeAll(async () => {
  smtp = await startSmtpServer({
    answer: (mail) => {
      offered.push(mail);
      return scripted.get(mail.to)?.shift();
    },
  });
  // Retries milliseconds apart rather than seconds: the same path, without the wait.
  app = await startApp({
    template: "empty",
    smtp,
  });
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

const mailJobsTo = (email: string) =>
  queryRows<{ status: string; attempts: number; last_error: string | null }>(
    app.db,
    sql`SELECT status, attempts, last_error FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = ${email}`,
  );

test("a sign-in link arrives once, with a Message-ID, and its job is recorded as sent", async () => {
  const email = newEmail();
  expect((await postForm(app, "/signin", { email })).status).toBe(200);
  const mail = await smtp.nextMessage(email);
  expect(mail.links.some((link) => new URL(link).pathname === "/signin/verify")).toBe(true);
  expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/);
  await expect.poll(async () => (await mailJobsTo(email)).map((job) => job.status)).toEqual(["succeeded"]);
  expect(smtp.acceptedFor(email)).toHaveLength(1);
});

test("a server that refuses for now (4xx) is tried again, with the same Message-ID, until it accepts", async () => {
  const email = newEmail();
  const busy = { code: 451, message: "4.3.0 Try again later" };
  scripted.set(email, [busy, busy]);
  expect((await postForm(app, "/signin", { email })).status).toBe(200);
  const mail = await smtp.nextMessage(email);
  const tries = offered.filter((m) => m.to === email);
  expect(tries).toHaveLength(3);
  expect(new Set(tries.map((m) => m.messageId))).toEqual(new Set([mail.messageId]));
  await expect.poll(async () => (await mailJobsTo(email)).map((job) => job.status)).toEqual(["succeeded"]);
  expect((await mailJobsTo(email))[0]?.attempts).toBe(3);
  expect(smtp.acceptedFor(email)).toHaveLength(1);
});

test("a permanent refusal (5xx) fails the message at once, listed for admins with the server's reply", async () => {
  const email = newEmail();
  scripted.set(email, [{ code: 550, message: "5.1.1 No such mailbox here" }]);
  expect((await postForm(app, "/signin", { email })).status).toBe(200);
  await expect.poll(async () => (await mailJobsTo(email)).map((job) => job.status)).toEqual(["failed"]);
  const [job] = await mailJobsTo(email);
  expect(job?.attempts).toBe(1);
  expect(job?.last_error).toContain("550 5.1.1 No such mailbox here");
  expect(offered.filter((m) => m.to === email)).toHaveLength(1);
  expect(smtp.acceptedFor(email)).toEqual([]);

  const admin = await signedInStaff(app, "admin");
  const listed = await api(app, "GET", "/admin/api/jobs?status=failed&kind=mail.send", { cookie: admin.cookie });
  const { jobs } = (await listed.json()) as { jobs: { lastError: string }[] };
  expect(jobs.map((j) => j.lastError)).toContainEqual(expect.stringContaining("No such mailbox here"));
});
