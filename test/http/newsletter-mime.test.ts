/**
 * A newsletter's messages as they reach the SMTP server, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: each
 * shared body is encoded once and filled per reader, so every message is checked byte-level here: valid MIME in
 * short quoted-printable lines, non-ASCII words whole, the reader's own link in both parts and the headers, the
 * paywall per reader class, and a retried message the same as the first try, Message-ID included.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, signedInStaff } from "../support/newsroom.js";
import { type ReceivedMail, startSmtpServer, type TestSmtp } from "../support/smtp.js";

// Long enough to wrap many times; its quotes and accents are several bytes each in UTF-8.
const PREVIEW = `The “provisional” budget, voté à minuit, came late. ${"Ministers met again. ".repeat(12)}`.trim();
const GATED = "Trois ministres l’avaient dit en privé: “a shortfall”.";
const busy = { code: 451, message: "4.3.0 Try again later" };

/** The lines of the message's body (after its headers): multipart boundaries and the encoded parts. */
const bodyLines = (mail: ReceivedMail) => mail.raw.slice(mail.raw.indexOf("\r\n\r\n") + 4).split("\r\n");
const ownLink = (mail: ReceivedMail) => mail.headers["list-unsubscribe"]?.slice(1, -1) ?? "";

describe.each(databaseKinds())("a newsletter's messages as sent on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  const readers = { free: `free-${kind}@example.test`, paid: `paid-${kind}@example.test` };
  const retried = `retried-${kind}@example.test`;
  const offeredTo: ReceivedMail[] = [];

  beforeAll(async () => {
    smtp = await startSmtpServer({
      // The first offer to one reader is refused for now, so their message goes again.
      answer: (mail) => {
        offeredTo.push(mail);
        return mail.to === retried && offeredTo.filter((m) => m.to === retried).length === 1 ? busy : undefined;
      },
    });
    app = await startApp({
      template: "empty",
      clock,
      database: kind,
      smtp,
      env: { PUBLIC_URL: "https://paper.example" },
    });
    await app.make.settings();
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test("each reader's message is valid MIME with their own link, the text whole, and the same on a retry", async () => {
    const alerts = await newsletters.createNewsletter({ db: app.db, clock }, { name: "Alerts" });
    for (const email of [readers.free, readers.paid, retried]) {
      const { member } = await members.ensureVerifiedMember(app.db, { email, now: clock.now() });
      const isPaid = email === readers.paid;
      if (isPaid) await app.db.execute(sql`UPDATE members SET paid_access = 'complimentary' WHERE id = ${member.id}`);
      const choice = { memberId: member.id, chosenIds: [alerts.id], hasPaidAccess: isPaid, source: "account" } as const;
      await newsletters.saveChoices(app.db, { ...choice, at: clock.now() });
    }
    const article = await app.make.article({
      title: "Budget “passes” — à minuit",
      accessLevel: "paid",
      paragraphs: [PREVIEW, GATED],
      previewAfter: 1,
    });
    const editor = await signedInStaff(app, "editor");
    const res = await api(app, "POST", `/admin/api/newsletters/${alerts.id}/sends`, {
      body: { articleId: article.id },
      cookie: editor.cookie,
    });
    expect(res.status).toBe(201);
    const free = await smtp.nextMessage(readers.free);
    const paid = await smtp.nextMessage(readers.paid);
    const again = await smtp.nextMessage(retried);

    for (const mail of [free, paid, again]) {
      // The title as the site sets it (a no-break space before a dash), encoded in the header and read back.
      expect(mail.subject).toBe("Budget “passes”\u00a0— à minuit");
      expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
      expect(mail.raw.match(/^Content-Type: text\/(plain|html); charset=utf-8$/gm)).toHaveLength(2);
      expect(mail.raw.match(/^Content-Transfer-Encoding: quoted-printable$/gm)).toHaveLength(2);
      expect(bodyLines(mail).filter((line) => line.length > 76)).toEqual([]);
      expect(mail.raw.split("\r\n").every((line) => line.length <= 998)).toBe(true);
      // Words whole: nothing split mid-character or left encoded.
      expect(mail.text).toContain(PREVIEW);
      expect(mail.html).toContain(PREVIEW);
      expect(ownLink(mail)).toMatch(/^https:\/\/paper\.example\/newsletters\/unsubscribe\?token=[\w.-]+$/);
      expect(mail.text).toContain(`${ownLink(mail)}\n`);
      expect(mail.html).toContain(`href="${ownLink(mail)}"`);
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    }
    expect(new Set([free, paid, again].map(ownLink)).size).toBe(3);
    expect(paid.text).toContain(GATED);
    expect(paid.html).toContain(GATED);
    for (const mail of [free, again]) expect(mail.text + mail.html).not.toContain("Trois ministres");
    // The free readers' messages differ only by their links.
    expect(again.text).toBe(free.text.replaceAll(ownLink(free), ownLink(again)));
    expect(again.html).toBe(free.html.replaceAll(ownLink(free), ownLink(again)));

    const [refused, accepted] = offeredTo.filter((m) => m.to === retried);
    expect(accepted).toBe(again);
    expect(refused?.messageId).toBe(again.messageId);
    expect([refused?.text, refused?.html, ownLink(refused!)]).toEqual([again.text, again.html, ownLink(again)]);
    const [job] = await queryRows<{ attempts: number }>(
      app.db,
      sql`SELECT attempts FROM jobs WHERE kind = 'mail.send' AND payload->>'to' = ${retried}`,
    );
    expect(job?.attempts).toBe(2);
  });
});
