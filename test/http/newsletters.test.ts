/**
 * Newsletters in the newsroom, on PGlite and (with TEST_DATABASE_URL) PostgreSQL: editors make, change and
 * archive them through /admin/api/newsletters; the Content API lists the active ones.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createContentApiKey } from "../../src/ghost-api/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

type NewsletterView = {
  id: string;
  slug: string;
  name: string;
  status: string;
  cadence: string;
  sendHour: number | null;
  sendWeekday: number | null;
  subscribers: number;
  pageUrl: string;
};

describe.each(databaseKinds())("newsletters in the newsroom on %s", (kind) => {
  let app: TestApp;
  let editor: StaffAccount;
  let author: StaffAccount;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    await app.make.settings();
    editor = await signedInStaff(app, "editor");
    author = await signedInStaff(app, "author");
  });
  afterAll(async () => app?.close());

  const create = (body: unknown, cookie = editor.cookie) =>
    api(app, "POST", "/admin/api/newsletters", { body, cookie });

  test("an editor makes a daily newsletter; its slug comes from its name and it starts active", async () => {
    const res = await create({ name: "Evening Digest", cadence: "daily", sendHour: 18, sendWeekday: 3 });
    expect(res.status).toBe(201);
    const { newsletter } = (await res.json()) as { newsletter: NewsletterView };
    // A daily newsletter keeps no weekday.
    expect(newsletter).toMatchObject({
      slug: "evening-digest",
      status: "active",
      cadence: "daily",
      sendHour: 18,
      sendWeekday: null,
      subscribers: 0,
      pageUrl: `${app.url.replace("127.0.0.1", "localhost")}/newsletters/evening-digest`,
    });
    const list = (await (await api(app, "GET", "/admin/api/newsletters", { cookie: editor.cookie })).json()) as {
      newsletters: NewsletterView[];
    };
    expect(list.newsletters.map((n) => n.slug)).toContain("evening-digest");
  });

  test("bad input is a 400 naming the field, a taken slug 409, an author 403, and nothing is written", async () => {
    await create({ name: "Weekly Economy", slug: "economy-weekly", cadence: "weekly", sendHour: 8, sendWeekday: 1 });
    const cases: [unknown, number, string | undefined][] = [
      [{ name: "" }, 400, undefined],
      [{ name: "Ok", cadence: "hourly" }, 400, undefined],
      [{ name: "Ok", sendHour: 24, cadence: "daily" }, 400, undefined],
      [{ name: "Ok", surprise: true }, 400, undefined],
      [{ name: "Ok", senderEmail: "not an address" }, 400, undefined],
      [{ name: "Ok", cadence: "daily" }, 400, "SEND_HOUR_REQUIRED"],
      [{ name: "Ok", cadence: "weekly", sendHour: 7 }, 400, "SEND_WEEKDAY_REQUIRED"],
      [{ name: "Ok", slug: "Not A Slug" }, 400, "INVALID_SLUG"],
      [{ name: "Ok", slug: "economy-weekly" }, 409, "SLUG_TAKEN"],
      [{ name: "x".repeat(81) }, 400, undefined],
    ];
    for (const [body, status, code] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const answer = await errorCodeOf(res);
      if (code) expect(answer).toBe(code);
    }
    expect((await create({ name: "By an author" }, author.cookie)).status).toBe(403);
    expect((await api(app, "GET", "/admin/api/newsletters", { cookie: author.cookie })).status).toBe(403);
    const list = (await (await api(app, "GET", "/admin/api/newsletters", { cookie: editor.cookie })).json()) as {
      newsletters: NewsletterView[];
    };
    expect(list.newsletters.filter((n) => n.name === "Ok" || n.name === "By an author")).toEqual([]);
  });

  test("a change keeps what it does not name; archiving takes it off the Content API, restoring puts it back", async () => {
    const made = (await (await create({ name: "Culture Notes", sortOrder: 5 })).json()) as {
      newsletter: NewsletterView;
    };
    const id = made.newsletter.id;
    const changed = await api(app, "PATCH", `/admin/api/newsletters/${id}`, {
      body: { cadence: "weekly", sendHour: 9, sendWeekday: 6 },
      cookie: editor.cookie,
    });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { newsletter: NewsletterView }).newsletter).toMatchObject({
      name: "Culture Notes",
      cadence: "weekly",
      sendWeekday: 6,
    });
    expect((await api(app, "PATCH", `/admin/api/newsletters/${id}`, { body: {}, cookie: editor.cookie })).status).toBe(
      400,
    );
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect((await api(app, "GET", `/admin/api/newsletters/${unknown}`, { cookie: editor.cookie })).status).toBe(404);

    const { key } = await createContentApiKey(app.db, "test client");
    const slugsInApi = async () => {
      const res = await app.get(`/ghost/api/content/newsletters/?key=${key}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { newsletters: { slug: string }[] }).newsletters.map((n) => n.slug);
    };
    expect(await slugsInApi()).toContain("culture-notes");
    const archived = await api(app, "POST", `/admin/api/newsletters/${id}/archive`, {
      body: {},
      cookie: editor.cookie,
    });
    expect(((await archived.json()) as { newsletter: NewsletterView }).newsletter.status).toBe("archived");
    expect(await slugsInApi()).not.toContain("culture-notes");
    await api(app, "POST", `/admin/api/newsletters/${id}/restore`, { body: {}, cookie: editor.cookie });
    expect(await slugsInApi()).toContain("culture-notes");
  });
});
