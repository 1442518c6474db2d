/**
 * The newsroom dashboard's figures over HTTP: days in the paper's time zone, views from the saved read counts,
 * sign-ups and subscriptions per day, the most read of the last 24 hours, an article's views per hour after
 * publishing; editors only, and its input checked.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

describe.each(databaseKinds())("the newsroom dashboard on %s", (kind) => {
  let app: TestApp;
  let editor: StaffAccount;
  let author: StaffAccount;
  // 22:30 in UTC is 02:30 the next morning in Baku (UTC+4): the paper's today is 11 March.
  const clock = fixedClock(new Date("2031-03-10T22:30:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    await app.make.settings();
    await app.db.execute(sql`UPDATE site_settings SET time_zone = 'Asia/Baku'`);
    editor = await signedInStaff(app, "editor");
    author = await signedInStaff(app, "author");
  });
  afterAll(async () => {
    await app?.close();
  });

  const reads = async (articleId: string, hour: string, n: number) => {
    await app.db.execute(sql`INSERT INTO article_reads (article_id, hour, reads) VALUES (${articleId}, ${hour}, ${n})`);
  };
  const member = async (email: string, createdAt: string) => {
    const [row] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO members (email, created_at) VALUES (${email}, ${createdAt}) RETURNING id`,
    );
    return row!.id;
  };
  const subscription = async (id: string, memberId: string, createdAt: string) => {
    await app.db.execute(sql`
      INSERT INTO subscriptions (stripe_subscription_id, member_id, status, interval, created_at, updated_at)
      VALUES (${id}, ${memberId}, 'active', 'month', ${createdAt}, ${createdAt})`);
  };

  test("today's figures and the last 14 days follow the paper's calendar, with the most read of 24 hours", async () => {
    const today = await app.make.article({ title: "Metro line opens", publishedAt: new Date("2031-03-10T21:00:00Z") });
    const lateYesterday = await app.make.article({
      title: "Council sits late",
      publishedAt: new Date("2031-03-10T19:00:00Z"),
    });
    const lastWeek = await app.make.article({ title: "Spring floods", publishedAt: new Date("2031-03-05T12:00:00Z") });
    const draft = await app.make.article({ title: "Not yet", status: "draft" });
    await reads(today.id, "2031-03-10T21:00:00Z", 5);
    await reads(today.id, "2031-03-10T22:00:00Z", 4);
    await reads(lateYesterday.id, "2031-03-10T19:00:00Z", 3); // 23:00 in Baku: yesterday
    await reads(lastWeek.id, "2031-03-10T20:00:00Z", 2); // midnight in Baku: today
    await reads(lastWeek.id, "2031-02-20T10:00:00Z", 100); // before the 14 days and the 24 hours
    await reads(draft.id, "2031-03-10T22:00:00Z", 50); // a draft is never among the most read

    await member("early@example.test", "2031-03-10T20:30:00Z");
    await member("night@example.test", "2031-03-10T19:59:00Z");
    const payer = await member("payer@example.test", "2031-03-10T22:00:00Z");
    const oldPayer = await member("old@example.test", "2031-01-15T09:00:00Z");
    await subscription("sub_dash_new", payer, "2031-03-10T22:05:00Z");
    await subscription("sub_dash_old", oldPayer, "2031-02-01T09:00:00Z");

    const res = await api(app, "GET", "/admin/api/dashboard", { cookie: editor.cookie });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.timeZone).toBe("Asia/Baku");
    expect(body.days).toHaveLength(14);
    expect(body.days[0]).toBe("2031-02-26");
    expect(body.days[13]).toBe("2031-03-11");
    const zeros = () => new Array<number>(14).fill(0);
    const expected = (entries: [string, number][]) => {
      const series = zeros();
      for (const [day, n] of entries) series[body.days.indexOf(day)] = n;
      return series;
    };
    expect(body.published).toEqual(
      expected([
        ["2031-03-11", 1],
        ["2031-03-10", 1],
        ["2031-03-05", 1],
      ]),
    );
    expect(body.views).toEqual(
      expected([
        ["2031-03-11", 5 + 4 + 2 + 50],
        ["2031-03-10", 3],
      ]),
    );
    expect(body.signUps).toEqual(
      expected([
        ["2031-03-11", 2],
        ["2031-03-10", 1],
      ]),
    );
    expect(body.subscriptions).toEqual(expected([["2031-03-11", 1]]));
    expect(body.mostRead).toEqual([
      { id: today.id, title: "Metro line opens", path: `/${today.section.slug}/${today.slug}`, views: 9 },
      {
        id: lateYesterday.id,
        title: "Council sits late",
        path: `/${lateYesterday.section.slug}/${lateYesterday.slug}`,
        views: 3,
      },
      { id: lastWeek.id, title: "Spring floods", path: `/${lastWeek.section.slug}/${lastWeek.slug}`, views: 2 },
    ]);

    const shorter = await api(app, "GET", "/admin/api/dashboard?days=1&mostRead=1", { cookie: editor.cookie });
    const short = await shorter.json();
    expect(short.days).toEqual(["2031-03-11"]);
    expect(short.views).toEqual([61]);
    expect(short.mostRead.map((a: { title: string }) => a.title)).toEqual(["Metro line opens"]);

    const hourly = await api(app, "GET", `/admin/api/articles/${today.id}/views`, { cookie: editor.cookie });
    expect(await hourly.json()).toEqual({ from: "2031-03-10T21:00:00.000Z", views: [5, 4] });
    const unpublished = await api(app, "GET", `/admin/api/articles/${draft.id}/views`, { cookie: editor.cookie });
    expect(await unpublished.json()).toEqual({ from: null, views: [] });
    const firstHour = await api(app, "GET", `/admin/api/articles/${today.id}/views?hours=1`, { cookie: editor.cookie });
    expect(await firstHour.json()).toEqual({ from: "2031-03-10T21:00:00.000Z", views: [5] });
  });

  test("authors and readers without a newsroom session are refused", async () => {
    const article = await app.make.article({ title: "Quiet day" });
    for (const path of ["/admin/api/dashboard", `/admin/api/articles/${article.id}/views`]) {
      const asAuthor = await api(app, "GET", path, { cookie: author.cookie });
      expect(asAuthor.status).toBe(403);
      const anonymous = await api(app, "GET", path);
      expect(anonymous.status).toBe(401);
      expect(JSON.stringify(await asAuthor.json())).not.toContain("Quiet day");
    }
  });

  test("malformed input is a 400 naming the problem, and an unknown article a 404", async () => {
    for (const query of ["days=0", "days=91", "days=ten", "mostRead=0", "mostRead=51", "since=yesterday"]) {
      const res = await api(app, "GET", `/admin/api/dashboard?${query}`, { cookie: editor.cookie });
      expect(res.status, query).toBe(400);
    }
    const bad = await api(app, "GET", "/admin/api/articles/not-a-uuid/views", { cookie: editor.cookie });
    expect(bad.status).toBe(400);
    const tooLong = await api(app, "GET", "/admin/api/articles/00000000-0000-4000-8000-000000000000/views?hours=999", {
      cookie: editor.cookie,
    });
    expect(tooLong.status).toBe(400);
    const missing = await api(app, "GET", "/admin/api/articles/00000000-0000-4000-8000-000000000000/views", {
      cookie: editor.cookie,
    });
    expect(missing.status).toBe(404);
    expect(await errorCodeOf(missing)).toBe("ARTICLE_NOT_FOUND");
  });
});
