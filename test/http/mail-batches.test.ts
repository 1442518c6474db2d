/**
 * Mail sent in batches, through a real SMTP server on 127.0.0.1, on both databases: messages claimed and answered
 * together each end their own way (accepted, refused for now and retried with the same Message-ID, refused for
 * good); and a server killed with a batch in hand delivers each of its messages after the restart, once, or twice
 * with one Message-ID only where the SMTP server had accepted it before the kill (the documented window).
 */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { startApp } from "../support/app.js";
import { copyTemplate, createPostgresDatabase, databaseKinds } from "../support/db.js";
import { postForm } from "../support/members.js";
import { type Spawned, servingAt, spawnServer, waitFor } from "../support/processes.js";
import { type ReceivedMail, type SmtpAnswer, startSmtpServer } from "../support/smtp.js";

const BATCH = 6;
const busy = { code: 451, message: "4.3.0 Try again later" };
const gone = { code: 550, message: "5.1.1 No such mailbox here" };

/** Answers held until `size` messages wait together, so the sender has them all in flight at once. */
function heldTogether(size: number) {
  let held: (() => void)[] = [];
  return (answer: SmtpAnswer) =>
    new Promise<SmtpAnswer>((resolve) => {
      held.push(() => resolve(answer));
      if (held.length < size) return;
      for (const release of held) release();
      held = [];
    });
}

const signIn = (base: string, email: string) =>
  fetch(`${base}/signin`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    body: new URLSearchParams({ email }).toString(),
  });

describe.each(databaseKinds())("mail in batches on %s", (kind) => {
  test("a batch answered together: accepted once, retried after a 4xx with its Message-ID, failed on a 5xx", async () => {
    const offered: ReceivedMail[] = [];
    const together = heldTogether(BATCH);
    const first = new Set<string>();
    const smtp = await startSmtpServer({
      answer: (mail) => {
        offered.push(mail);
        const isFirst = !first.has(mail.to);
        first.add(mail.to);
        if (!isFirst) return undefined;
        return together(mail.to.startsWith("busy") ? busy : mail.to.startsWith("gone") ? gone : undefined);
      },
    });
    const app = await startApp({
      template: "empty",
      database: kind,
      // One connection per message of the batch, so all six reach the server at once.
      smtp,
      env: { MAIL_CONCURRENCY: String(BATCH) },
    });
    try {
      const addresses = ["ok-1", "busy-1", "gone-1", "ok-2", "busy-2", "gone-2"].map(
        (n) => `${n}-${kind}@example.test`,
      );
      for (const email of addresses) expect((await postForm(app, "/signin", { email })).status).toBe(200);
      const jobsOf = () =>
        queryRows<{ to: string; status: string; attempts: number; last_error: string | null }>(
          app.db,
          sql`SELECT payload->>'to' AS to, status, attempts, last_error FROM jobs WHERE kind = 'mail.send'`,
        );
      await expect
        .poll(
          async () => (await jobsOf()).filter((job) => job.status === "succeeded" || job.status === "failed").length,
        )
        .toBe(BATCH);
      const byAddress = new Map((await jobsOf()).map((job) => [job.to, job]));
      for (const email of addresses) {
        const job = byAddress.get(email);
        const tries = offered.filter((mail) => mail.to === email);
        if (email.startsWith("gone")) {
          expect(job).toMatchObject({ status: "failed", attempts: 1 });
          expect(job?.last_error).toContain("550 5.1.1 No such mailbox here");
          expect(smtp.acceptedFor(email)).toHaveLength(0);
        } else {
          expect(job).toMatchObject({ status: "succeeded", attempts: email.startsWith("busy") ? 2 : 1 });
          expect(smtp.acceptedFor(email)).toHaveLength(1);
          expect(new Set(tries.map((mail) => mail.messageId)).size).toBe(1);
        }
      }
      // The 5xx put the address on the suppression list, within the same batch's work.
      const suppressed = await queryRows<{ address: string }>(
        app.db,
        sql`SELECT address FROM email_suppressions WHERE reason = 'smtp_rejected' ORDER BY address`,
      );
      expect(suppressed.map((row) => row.address)).toEqual(addresses.filter((a) => a.startsWith("gone")).toSorted());
    } finally {
      await app.close();
      await smtp.close();
    }
  });

  test("a server killed with a batch in flight delivers each message after the restart, with its Message-ID", {
    timeout: 300_000,
  }, async () => {
    const addresses = [1, 2, 3, 4, 5, 6].map((n) => `batch-${n}-${kind}@example.test`);
    const offered: ReceivedMail[] = [];
    // Two are accepted at once (the kill may come before their jobs are recorded); four are held unanswered.
    let holding: ((answer: SmtpAnswer) => void)[] | undefined = [];
    const smtp = await startSmtpServer({
      answer: (mail) => {
        offered.push(mail);
        const held = holding;
        if (!held || offered.length <= 2) return undefined;
        return new Promise<SmtpAnswer>((resolve) => held.push(resolve));
      },
    });
    const postgres = kind === "postgres" ? await createPostgresDatabase({ migrated: true }) : undefined;
    const dataDir = await copyTemplate("empty");
    const servers: Spawned[] = [];
    const start = () => {
      // A short lease, so the restarted server claims the dead one's jobs within seconds.
      const server = spawnServer({
        DATA_DIR: dataDir,
        ...(postgres ? { DATABASE_URL: postgres.url } : {}),
        SEED_DEMO: "false",
        SMTP_URL: smtp.url,
        MAIL_CONCURRENCY: String(BATCH),
        JOB_LEASE_SECONDS: "2",
      });
      servers.push(server);
      return server;
    };
    try {
      const first = start();
      const base = await servingAt(first);
      for (const email of addresses) expect((await signIn(base, email)).status).toBe(200);
      await waitFor("the batch to reach the SMTP server", () => offered.length === BATCH);
      first.child.kill("SIGKILL");
      await first.exited;
      const held = holding ?? [];
      holding = undefined;
      for (const release of held) release({ code: 421, message: "4.4.2 Connection dropped" });

      const second = start();
      await servingAt(second);
      await waitFor("every reader's message", () => addresses.every((a) => smtp.acceptedFor(a).length > 0), 120_000);
      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0);

      const acceptedBeforeKill = new Set(offered.slice(0, 2).map((mail) => mail.to));
      for (const email of addresses) {
        const accepted = smtp.acceptedFor(email);
        const firstOffer = offered.find((mail) => mail.to === email);
        expect(new Set(accepted.map((mail) => mail.messageId))).toEqual(new Set([firstOffer?.messageId]));
        // Twice only for a message the server had accepted when the process died.
        expect(accepted.length).toBeLessThanOrEqual(acceptedBeforeKill.has(email) ? 2 : 1);
      }
      const { database } = await openDatabase({ dataDir, databaseUrl: postgres?.url, databasePoolSize: 1 });
      try {
        const jobs = await queryRows<{ status: string }>(
          database.db,
          sql`SELECT status FROM jobs WHERE kind = 'mail.send'`,
        );
        expect(jobs.map((job) => job.status)).toEqual(addresses.map(() => "succeeded"));
      } finally {
        await database.close();
      }
    } finally {
      for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
      await smtp.close();
      rmSync(dataDir, { recursive: true, force: true });
      await postgres?.drop();
    }
  });
});
