/**
 * Digests on their cadence, through the real SMTP server, driven by the app's clock: a daily one at its hour in
 * the site's time zone and a weekly one on its weekday, each period once however many rounds and processes run,
 * nothing for an empty period, and the paywall held per reader in every item.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import * as newsletters from "../../src/newsletters/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

const OPEN = "The council met at dawn to agree the harbour plan.";
const GATED_OPENING = "Treasury papers show the bridge will cost twice the estimate.";
const GATED_REST = "Two engineers resigned over the figures in March.";

type SendRow = { id: string; status: string; period: string; queued: number; digest_article_ids: string[] };

describe.each(databaseKinds())("newsletter digests on %s", (kind) => {
  let smtp: TestSmtp;
  let app: TestApp;
  let second: TestApp;
  // Monday 5 May 2031, noon in Berlin.
  const clock = fixedClock(new Date("2031-05-05T10:00:00Z"));
  const free = `digest-free-${kind}@example.test`;
  const paid = `digest-paid-${kind}@example.test`;

  const member = async (email: string, hasPaidAccess: boolean) => {
    const { member } = await members.ensureVerifiedMember(app.db, { email, now: clock.now() });
    if (hasPaidAccess) {
      await app.db.execute(sql`UPDATE members SET paid_access = 'complimentary' WHERE id = ${member.id}`);
    }
    return { ...member, hasPaidAccess };
  };
  const choose = async (newsletter: newsletters.Newsletter, ...who: { id: string; hasPaidAccess: boolean }[]) => {
    for (const m of who) {
      await newsletters.saveChoices(app.db, {
        memberId: m.id,
        chosenIds: [newsletter.id],
        hasPaidAccess: m.hasPaidAccess,
        source: "account",
        at: clock.now(),
      });
    }
  };
  const sendsOf = (newsletterId: string) =>
    queryRows<SendRow>(
      app.db,
      sql`SELECT id, status, period, queued, digest_article_ids FROM newsletter_sends
           WHERE newsletter_id = ${newsletterId} ORDER BY created_at`,
    );
  const waitForSent = async (id: string) => {
    for (let i = 0; i < 200; i++) {
      const [row] = await queryRows<{ status: string }>(
        app.db,
        sql`SELECT status FROM newsletter_sends WHERE id = ${id}`,
      );
      if (row?.status === "sent") return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the digest did not finish");
  };
  const newsletter = (input: newsletters.NewsletterInput) => newsletters.createNewsletter({ db: app.db, clock }, input);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    const env = { PUBLIC_URL: "https://paper.example" };
    app = await startApp({ template: "empty", clock, database: kind, smtp, env });
    await app.make.settings();
    await app.db.execute(sql`UPDATE site_settings SET time_zone = 'Europe/Berlin' WHERE id = 1`);
    second = await startApp({
      template: "empty",
      clock,
      smtp,
      env,
      beside: { built: app.built, databaseUrl: app.databaseUrl },
    });
  });
  afterAll(async () => {
    await second?.close();
    await app?.close();
    await smtp?.close();
  });

  test("a daily digest goes at its hour in the site's time zone, once, to each member, the paywall held", async () => {
    const briefing = await newsletter({ name: "Briefing", cadence: "daily", sendHour: 7 });
    const reader = await member(free, false);
    const subscriber = await member(paid, true);
    await choose(briefing, reader, subscriber);
    clock.set(new Date("2031-05-05T12:00:00Z"));
    const open = await app.make.article({ title: "Harbour plan agreed", dek: "A vote at dawn", paragraphs: [OPEN] });
    clock.set(new Date("2031-05-05T13:00:00Z"));
    const gated = await app.make.article({
      title: "Bridge costs double",
      dek: "Papers seen by the paper",
      accessLevel: "paid",
      paragraphs: [GATED_OPENING, GATED_REST],
      previewAfter: 0,
    });

    // 06:59 in Berlin: not yet.
    clock.set(new Date("2031-05-06T04:59:00Z"));
    await app.built.rounds.queueDigests();
    expect(await sendsOf(briefing.id)).toEqual([]);

    // 07:00:30 in Berlin: both processes' rounds, twice each, at once.
    clock.set(new Date("2031-05-06T05:00:30Z"));
    const rounds = [app, second, app, second].map((a) => a.built.rounds.queueDigests());
    const made = (await Promise.all(rounds)).flat().filter((s) => s.newsletterId === briefing.id);
    // A process's rounds at once share one run; across processes the period's unique key holds.
    expect(new Set(made.map((s) => s.id)).size).toBe(1);
    const [send] = await sendsOf(briefing.id);
    expect(send).toMatchObject({ period: "2031-05-06", digest_article_ids: [gated.id, open.id] });
    const toFree = await smtp.nextMessage(free);
    const toPaid = await smtp.nextMessage(paid);
    await waitForSent(send?.id ?? "");
    await app.built.rounds.queueDigests();
    await second.built.rounds.queueDigests();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.acceptedFor(free)).toHaveLength(1);
    expect(smtp.acceptedFor(paid)).toHaveLength(1);
    expect(await sendsOf(briefing.id)).toHaveLength(1);

    expect(toFree.subject).toBe("Briefing, May 6, 2031");
    for (const mail of [toFree, toPaid]) {
      // Newest first: headline, dek and link of each.
      expect(mail.text.indexOf("Bridge costs double")).toBeLessThan(mail.text.indexOf("Harbour plan agreed"));
      expect(mail.text).toContain("A vote at dawn");
      expect(mail.text).toContain(OPEN);
      expect(mail.html).toContain("Papers seen by the paper");
      expect(mail.text).toContain(`https://paper.example${"/"}`);
      expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(mail.headers.precedence).toBe("bulk");
      expect(mail.headers["feedback-id"]).toBe(`${send?.id}:briefing:broadsheet:paper.example`);
    }
    expect(toFree.text + toFree.html).not.toContain(GATED_OPENING);
    expect(toFree.text + toFree.html).not.toContain("Treasury");
    expect(toFree.text).toContain("For subscribers");
    expect(toFree.text).toContain("https://paper.example/subscribe");
    expect(toPaid.text).toContain(GATED_OPENING);
    expect(toPaid.html).toContain(GATED_OPENING);
    expect(toPaid.text).not.toContain("For subscribers");
    // Only the opening paragraph, even for a subscriber.
    expect(toPaid.text).not.toContain(GATED_REST);

    // The next day carries only what was published since this one; a day with nothing new sends nothing.
    clock.set(new Date("2031-05-06T09:00:00Z"));
    const later = await app.make.article({ title: "Ferry timetable changes", paragraphs: ["New times from June."] });
    clock.set(new Date("2031-05-07T05:01:00Z"));
    await app.built.rounds.queueDigests();
    const next = (await smtp.nextMessage(free)).text;
    expect(next).toContain("Ferry timetable changes");
    expect(next).not.toContain("Harbour plan agreed");
    const [, nextSend] = await sendsOf(briefing.id);
    expect(nextSend?.digest_article_ids).toEqual([later.id]);
    await waitForSent(nextSend?.id ?? "");

    clock.set(new Date("2031-05-08T05:01:00Z"));
    await app.built.rounds.queueDigests();
    await second.built.rounds.queueDigests();
    const sends = await sendsOf(briefing.id);
    expect(sends.map((s) => s.status)).toEqual(["sent", "sent", "empty"]);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.acceptedFor(free)).toHaveLength(2);
    await newsletters.archiveNewsletter({ db: app.db, clock }, briefing.id);
  });

  test("a weekly paid digest goes on its weekday at its hour, to subscribers only", async () => {
    clock.set(new Date("2031-05-12T10:00:00Z"));
    // Friday 18:00 in Berlin (16:00 UTC in May).
    const analysis = await newsletter({
      name: "Weekly Analysis",
      cadence: "weekly",
      sendHour: 18,
      sendWeekday: 5,
      visibility: "paid",
    });
    const reader = await member(`weekly-free-${kind}@example.test`, false);
    const subscriber = await member(`weekly-paid-${kind}@example.test`, true);
    // A free member cannot choose a paid newsletter; recorded directly to show the send still passes them over.
    await choose(analysis, subscriber);
    await app.db.execute(
      sql`INSERT INTO newsletter_subscriptions (newsletter_id, member_id, is_subscribed, source, changed_at)
          VALUES (${analysis.id}, ${reader.id}, true, 'account', ${clock.now().toISOString()}::timestamptz)`,
    );
    clock.set(new Date("2031-05-13T08:00:00Z"));
    await app.make.article({ title: "Week in review", paragraphs: ["A busy week."] });

    // Thursday at 18:00, and Friday at 17:59 in Berlin: not yet.
    for (const at of ["2031-05-15T16:00:00Z", "2031-05-16T15:59:00Z"]) {
      clock.set(new Date(at));
      await app.built.rounds.queueDigests();
      expect(await sendsOf(analysis.id), at).toEqual([]);
    }
    clock.set(new Date("2031-05-16T16:00:00Z"));
    await app.built.rounds.queueDigests();
    const mail = await smtp.nextMessage(subscriber.email);
    expect(mail.text).toContain("Week in review");
    const [send] = await sendsOf(analysis.id);
    expect(send?.period).toBe("2031-05-16");
    await waitForSent(send?.id ?? "");
    expect(smtp.acceptedFor(reader.email)).toEqual([]);

    // Saturday: still that week's; nothing more.
    clock.set(new Date("2031-05-17T16:00:00Z"));
    await app.built.rounds.queueDigests();
    expect(await sendsOf(analysis.id)).toHaveLength(1);
    await newsletters.archiveNewsletter({ db: app.db, clock }, analysis.id);
  });

  test("a digest hour missed by more than the late limit is left for the next one", async () => {
    clock.set(new Date("2031-05-20T10:00:00Z"));
    const evening = await newsletter({ name: "Evening", cadence: "daily", sendHour: 19 });
    const someone = await member(`evening-${kind}@example.test`, false);
    await choose(evening, someone);
    clock.set(new Date("2031-05-20T21:00:00Z"));
    await app.make.article({ title: "Evening news" });
    // 19:00 Berlin is 17:00 UTC; the round comes back at 23:30 UTC, 6.5 hours late.
    clock.set(new Date("2031-05-20T23:30:00Z"));
    await app.built.rounds.queueDigests();
    expect(await sendsOf(evening.id)).toEqual([]);
    clock.set(new Date("2031-05-21T17:00:10Z"));
    await app.built.rounds.queueDigests();
    expect((await smtp.nextMessage(someone.email)).text).toContain("Evening news");
    await newsletters.archiveNewsletter({ db: app.db, clock }, evening.id);
  });

  test("a digest with chosen sections carries only theirs; none chosen, all; sections are checked and round-trip", async () => {
    clock.set(new Date("2031-05-25T10:00:00Z"));
    const { cookie } = await signedInStaff(app, "editor");
    const [politics, sport, culture] = [await app.make.section(), await app.make.section(), await app.make.section()];
    const save = async (method: string, path: string, body: unknown) => {
      const res = await api(app, method, `/admin/api/newsletters${path}`, { body, cookie });
      return {
        res,
        newsletter: res.ok
          ? ((await res.json()) as { newsletter: { id: string; sectionIds: string[] } }).newsletter
          : undefined,
      };
    };
    const unknown = "00000000-0000-4000-8000-000000000000";
    const refused = (
      await save("POST", "", { name: "Nowhere", cadence: "daily", sendHour: 7, sectionIds: [politics.id, unknown] })
    ).res;
    expect(refused.status).toBe(400);
    const refusal = (await refused.json()) as { errors: { code: string; message: string }[] };
    expect(refusal.errors[0]).toMatchObject({ code: "SECTION_NOT_FOUND", message: expect.stringContaining(unknown) });
    expect((await newsletters.listNewsletters(app.db)).map((n) => n.name)).not.toContain("Nowhere");

    const made = (
      await save("POST", "", { name: "Politics Daily", cadence: "daily", sendHour: 7, sectionIds: [sport.id] })
    ).newsletter;
    expect(made?.sectionIds).toEqual([sport.id]);
    const id = made?.id ?? "";
    const both = await save("PATCH", `/${id}`, { sectionIds: [politics.id, culture.id] });
    expect(both.newsletter?.sectionIds).toEqual([politics.id, culture.id]);
    const bad = await save("PATCH", `/${id}`, { sectionIds: [unknown], name: "Renamed" });
    expect(await errorCodeOf(bad.res)).toBe("SECTION_NOT_FOUND");
    const read = await api(app, "GET", `/admin/api/newsletters/${id}`, { cookie });
    expect(((await read.json()) as { newsletter: { name: string; sectionIds: string[] } }).newsletter).toMatchObject({
      name: "Politics Daily",
      sectionIds: [politics.id, culture.id],
    });
    // Only a digest draws from sections: another cadence keeps none.
    const alerts = await save("POST", "", { name: "Alerts", cadence: "per-article", sectionIds: [politics.id] });
    expect(alerts.newsletter?.sectionIds).toEqual([]);
    const everything = await newsletter({ name: "Everything", cadence: "daily", sendHour: 7 });
    expect(everything.sectionIds).toEqual([]);
    const politicsDaily = await newsletters.getNewsletter(app.db, id);
    const reader = await member(`sections-${kind}@example.test`, false);
    await newsletters.saveChoices(app.db, {
      memberId: reader.id,
      chosenIds: [politicsDaily.id, everything.id],
      hasPaidAccess: false,
      source: "account",
      at: clock.now(),
    });

    clock.set(new Date("2031-05-25T12:00:00Z"));
    const vote = await app.make.article({ title: "Assembly vote delayed", section: politics });
    clock.set(new Date("2031-05-25T12:10:00Z"));
    const match = await app.make.article({ title: "Cup final tonight", section: sport });
    clock.set(new Date("2031-05-25T12:20:00Z"));
    const film = await app.make.article({ title: "Film week opens", section: culture });
    clock.set(new Date("2031-05-26T05:00:30Z"));
    await app.built.rounds.queueDigests();
    expect((await sendsOf(politicsDaily.id)).map((s) => s.digest_article_ids)).toEqual([[film.id, vote.id]]);
    expect((await sendsOf(everything.id)).map((s) => s.digest_article_ids)).toEqual([[film.id, match.id, vote.id]]);
    const mails = [await smtp.nextMessage(reader.email), await smtp.nextMessage(reader.email)];
    const chosen = mails.find((m) => m.subject.startsWith("Politics Daily"));
    expect(chosen?.text).toContain("Assembly vote delayed");
    expect(chosen?.text).not.toContain("Cup final tonight");
    expect(mails.find((m) => m.subject.startsWith("Everything"))?.text).toContain("Cup final tonight");
    for (const n of [politicsDaily, everything]) await newsletters.archiveNewsletter({ db: app.db, clock }, n.id);
  });

  test("a deleted section leaves the digests that chose it; a digest choosing it alone refuses the delete", async () => {
    const { cookie } = await signedInStaff(app, "editor");
    const [kept, gone, only] = [await app.make.section(), await app.make.section(), await app.make.section()];
    const two = await newsletter({ name: "Two Desks", cadence: "daily", sendHour: 7, sectionIds: [kept.id, gone.id] });
    const one = await newsletter({ name: "One Desk", cadence: "daily", sendHour: 7, sectionIds: [only.id] });
    const remove = (id: string) => api(app, "DELETE", `/admin/api/sections/${id}`, { cookie });

    expect((await remove(gone.id)).status).toBe(204);
    expect((await newsletters.getNewsletter(app.db, two.id)).sectionIds).toEqual([kept.id]);

    const refused = await remove(only.id);
    expect(refused.status).toBe(409);
    expect(await errorCodeOf(refused)).toBe("SECTION_IN_DIGEST");
    // Refused whole: the section is still there, and still the digest's.
    const sections = await api(app, "GET", "/admin/api/sections", { cookie });
    const listed = ((await sections.json()) as { sections: { id: string }[] }).sections.map((section) => section.id);
    expect(listed).toContain(only.id);
    expect(listed).not.toContain(gone.id);
    expect((await newsletters.getNewsletter(app.db, one.id)).sectionIds).toEqual([only.id]);
    for (const n of [two, one]) await newsletters.archiveNewsletter({ db: app.db, clock }, n.id);
  });
});

describe("the demo paper's digests", () => {
  let smtp: TestSmtp;
  let app: TestApp;
  // Just after the template's newsletters were made, so every hour from here on is due for them.
  const clock = fixedClock(new Date(Date.now() + 60_000));
  /** The first instant at or after `from` that is `hourUtc`:00:30 UTC, on `weekday` when given. */
  const nextAt = (from: Date, hourUtc: number, weekday?: number) => {
    const at = new Date(from);
    at.setUTCHours(hourUtc, 0, 30, 0);
    while (at < from || (weekday !== undefined && at.getUTCDay() !== weekday)) at.setUTCDate(at.getUTCDate() + 1);
    return at;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startApp({
      template: "demo",
      clock,
      smtp,
      env: { PUBLIC_URL: "https://paper.example" },
    });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
  });

  test("Morning Briefing goes at 07:00 and Analysis on Saturday at 09:00 in the paper's time zone (Istanbul)", async () => {
    const all = await newsletters.listNewsletters(app.db);
    const briefing = all.find((n) => n.slug === "morning-briefing");
    const analysis = all.find((n) => n.slug === "analysis");
    if (!briefing || !analysis) throw new Error("the demo paper lacks its digests");
    const reader = "demo-digest-reader@example.test";
    const subscriber = "demo-digest-subscriber@example.test";
    for (const [email, hasPaidAccess] of [
      [reader, false],
      [subscriber, true],
    ] as const) {
      const { member } = await members.ensureVerifiedMember(app.db, { email, now: clock.now() });
      if (hasPaidAccess) {
        await app.db.execute(sql`UPDATE members SET paid_access = 'complimentary' WHERE id = ${member.id}`);
      }
      const chosenIds = hasPaidAccess ? [briefing.id, analysis.id] : [briefing.id];
      await newsletters.saveChoices(app.db, {
        memberId: member.id,
        chosenIds,
        hasPaidAccess,
        source: "account",
        at: clock.now(),
      });
    }
    // 07:00 in Istanbul is 04:00 UTC; the article is published in the day before it.
    const morning = nextAt(new Date(clock.now().getTime() + 2 * 3_600_000), 4);
    clock.set(new Date(morning.getTime() - 3_600_000));
    await app.make.article({ title: "Ferry fares frozen for the summer" });
    clock.set(morning);
    await app.built.rounds.queueDigests();
    const toReader = await smtp.nextMessage(reader);
    expect(toReader.subject).toMatch(/^Morning Briefing, /);
    expect(toReader.text).toContain("Ferry fares frozen for the summer");
    await smtp.nextMessage(subscriber);

    // Saturday 09:00 in Istanbul is 06:00 UTC; only the subscriber receives Analysis.
    clock.set(nextAt(morning, 6, 6));
    await app.built.rounds.queueDigests();
    const weekly = await smtp.nextMessage(subscriber);
    expect(weekly.subject).toMatch(/^Analysis, /);
    expect(weekly.text).toContain("Ferry fares frozen for the summer");
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.acceptedFor(reader).map((m) => m.subject)).not.toContainEqual(expect.stringMatching(/^Analysis/));
  });
});
