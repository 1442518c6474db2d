/** What the server says when it starts, which main.ts writes to the log. */
import { expect, test } from "vitest";
import { OUTBOX_WARNING } from "../../src/email/index.js";
import { startApp } from "../support/app.js";

test("without SMTP_URL, the start-up notes say plainly that email is not sent and where its links go", async () => {
  const app = await startApp({ template: "empty" });
  try {
    expect(app.built.notes).toContain(OUTBOX_WARNING);
    expect(OUTBOX_WARNING).toMatch(/^EMAIL IS NOT BEING SENT: SMTP_URL is not set/);
    expect(OUTBOX_WARNING).toContain("written to this log and kept in the database outbox");
  } finally {
    await app.close();
  }
});

test("with SMTP_URL set, the start-up notes carry no such warning", async () => {
  // Nothing is sent here, so the mail server need not exist: the transport connects only to send.
  const app = await startApp({ template: "empty", env: { SMTP_URL: "smtp://127.0.0.1:2525" } });
  try {
    expect(app.built.notes.join("\n")).not.toMatch(/EMAIL IS NOT BEING SENT|SMTP_URL is not set/);
  } finally {
    await app.close();
  }
});
