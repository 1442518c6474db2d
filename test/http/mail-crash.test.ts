/**
 * The server killed with a message in hand: the sign-in link's change has committed and its message is on its way
 * to the SMTP server, not yet accepted. Restarted, the server sends it once, with the same Message-ID.
 */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { copyTemplate } from "../support/db.js";
import { type Spawned, servingAt, spawnServer, waitFor } from "../support/processes.js";
import { type ReceivedMail, type SmtpAnswer, startSmtpServer, type TestSmtp } from "../support/smtp.js";

const email = "crash-reader@example.test";
const dataDir = await copyTemplate("empty");
const servers: Spawned[] = [];
let smtp: TestSmtp;
/** Messages the SMTP server was offered, accepted or not. */
const offered: ReceivedMail[] = [];
/** While set, the SMTP server holds each message without answering: the sender waits mid-delivery. */
let holding: ((answer: SmtpAnswer) => void)[] | undefined = [];

beforeAll(async () => {
  smtp = await startSmtpServer({
    answer: (mail) => {
      offered.push(mail);
      const held = holding;
      return held ? new Promise<SmtpAnswer>((resolve) => held.push(resolve)) : undefined;
    },
  });
});
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function start(): Spawned {
  // A short lease, so the restarted server claims the dead one's job within seconds.
  const server = spawnServer({ DATA_DIR: dataDir, SEED_DEMO: "false", SMTP_URL: smtp.url, JOB_LEASE_SECONDS: "2" });
  servers.push(server);
  return server;
}

test("a message whose sender was killed mid-delivery is delivered once after the restart", {
  timeout: 300_000,
}, async () => {
  const first = start();
  const url = await servingAt(first);
  const asked = await fetch(`${url}/signin`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
    body: new URLSearchParams({ email }).toString(),
  });
  expect(asked.status).toBe(200);
  await waitFor("the message to reach the SMTP server", () => offered.length === 1);
  first.child.kill("SIGKILL");
  await first.exited;
  // The dead server's delivery is refused for now (its connection is gone anyway); later ones are accepted.
  const held = holding ?? [];
  holding = undefined;
  for (const release of held) release({ code: 421, message: "4.4.2 Connection dropped" });

  const second = start();
  await servingAt(second);
  const delivered = await smtp.nextMessage(email, 120_000);
  expect(delivered.links.some((link) => new URL(link).pathname === "/signin/verify")).toBe(true);
  expect(delivered.messageId).toBe(offered[0]?.messageId);
  // Stopped cleanly, the server has recorded the delivery and can send nothing more.
  second.child.kill("SIGTERM");
  expect(await second.exited).toBe(0);

  expect(smtp.acceptedFor(email)).toHaveLength(1);
  const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  try {
    const jobs = await queryRows<{ status: string; attempts: number }>(
      database.db,
      sql`SELECT status, attempts FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = ${email}`,
    );
    expect(jobs).toEqual([{ status: "succeeded", attempts: 2 }]);
  } finally {
    await database.close();
  }
});
