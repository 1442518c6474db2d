/** The newsroom's paywall settings, the report of which articles sell, section defaults, readers and revenue. */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

let app: TestApp;
let admin: StaffAccount;
let editor: StaffAccount;

beforeAll(async () => {
  app = await startApp({ template: "empty" });
  await app.make.settings();
  admin = await signedInStaff(app, "admin");
  editor = await signedInStaff(app, "editor");
});
afterAll(() => app.close());

const settings = {
  anonymousAllowance: 1,
  registeredAllowance: 4,
  previewParagraphs: 2,
  kindAccessDefaults: { analysis: { accessLevel: "paid", isMetered: true } },
  paywallTexts: { subscribe: "Our reporting is paid for by readers like you." },
};

test("an admin's paywall settings change the wall readers meet at once", async () => {
  const article = await app.make.article({
    accessLevel: "paid",
    paragraphs: ["Free opening.", "The gated finding."],
    previewAfter: 1,
  });
  const path = `/${article.section.slug}/${article.slug}`;
  expect(await app.html(path)).toContain("This article is for subscribers");
  const saved = await api(app, "PUT", "/admin/api/paywall", { cookie: admin.cookie, body: settings });
  expect(saved.status).toBe(200);
  expect(await saved.json()).toEqual(settings);
  expect(await app.html(path)).toContain("Our reporting is paid for by readers like you.");
  expect(await (await api(app, "GET", "/admin/api/paywall", { cookie: editor.cookie })).json()).toEqual(settings);
});

test("a shorter preview applies to the articles already written that have no divider, search snippets included", async () => {
  const undivided = await app.make.article({
    accessLevel: "paid",
    paragraphs: ["Opening of the report.", "Quarantined middle about zanzibarite.", "Closing lines."],
  });
  const divided = await app.make.article({
    accessLevel: "paid",
    paragraphs: ["First of two.", "Second of two, kept free by the divider."],
    previewAfter: 2,
  });
  const pathOf = (a: typeof undivided) => `/${a.section.slug}/${a.slug}`;
  const current = (await (await api(app, "GET", "/admin/api/paywall", { cookie: admin.cookie })).json()) as object;
  await api(app, "PUT", "/admin/api/paywall", { cookie: admin.cookie, body: { ...current, previewParagraphs: 3 } });
  expect(await app.html(pathOf(undivided))).toContain("zanzibarite");
  expect(await app.html("/search?q=zanzibarite")).toContain(undivided.title);

  const saved = await api(app, "PUT", "/admin/api/paywall", {
    cookie: admin.cookie,
    body: { ...current, previewParagraphs: 1 },
  });
  expect(saved.status).toBe(200);
  const page = await app.html(pathOf(undivided));
  expect(page).toContain("Opening of the report.");
  expect(page).not.toContain("zanzibarite");
  // Search still finds it by the word now gated, and shows only what the preview holds.
  const found = await app.html("/search?q=zanzibarite");
  expect(found).toContain(undivided.title);
  expect(found).toContain("Opening of the report.");
  expect(found).not.toContain("Quarantined middle");
  expect(await app.html(pathOf(divided))).toContain("Second of two, kept free by the divider.");
  await api(app, "PUT", "/admin/api/paywall", { cookie: admin.cookie, body: current });
});

test("bad paywall settings are refused with 400 and change nothing", async () => {
  for (const body of [
    { ...settings, anonymousAllowance: 51 },
    { ...settings, kindAccessDefaults: { gossip: { accessLevel: "paid", isMetered: true } } },
    { ...settings, paywallTexts: { subscribe: "" } },
    { ...settings, extra: true },
  ]) {
    const res = await api(app, "PUT", "/admin/api/paywall", { cookie: admin.cookie, body });
    expect(res.status).toBe(400);
  }
  const [row] = await queryRows<{ n: number }>(app.db, sql`SELECT anonymous_allowance AS n FROM site_settings`);
  expect(row?.n).toBe(1);
});

test("a section's access default, set in the newsroom, is what its new articles start with", async () => {
  const created = await api(app, "POST", "/admin/api/sections", {
    cookie: editor.cookie,
    body: { name: "Investigations", accessDefault: { accessLevel: "paid", isMetered: false } },
  });
  expect(created.status).toBe(201);
  const { section } = await created.json();
  expect(section.accessDefault).toEqual({ accessLevel: "paid", isMetered: false });
  const article = await api(app, "POST", "/admin/api/articles", {
    cookie: editor.cookie,
    body: {
      title: "Who paid for the bridge",
      kind: "news",
      sectionId: section.id,
      authorIds: [editor.id],
      body: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Text." }] }] },
    },
  });
  expect(article.status).toBe(201);
  const { article: saved } = await article.json();
  const read = await (await api(app, "GET", `/admin/api/articles/${saved.id}`, { cookie: editor.cookie })).json();
  expect(read.article.fields).toMatchObject({ accessLevel: "paid", isMetered: false });
});

test("the report names the articles whose walls readers met and who registered from them", async () => {
  const article = await app.make.article({
    title: "The harbour tender",
    accessLevel: "registered",
    paragraphs: ["Open.", "Closed."],
    previewAfter: 1,
  });
  for (let i = 0; i < 2; i++) await app.html(`/${article.section.slug}/${article.slug}`);
  await app.built.paywallCounters.flush();
  const res = await api(app, "GET", "/admin/api/paywall/report?days=7", { cookie: editor.cookie });
  const { articles } = await res.json();
  expect(articles).toContainEqual({
    articleId: article.id,
    title: "The harbour tender",
    path: `/${article.section.slug}/${article.slug}`,
    wallViews: 2,
    registrations: 0,
    subscriptions: 0,
  });
});

test("readers are listed, searched and filtered; a complimentary grant shows in the list and on the site", async () => {
  const ids: string[] = [];
  for (const email of ["ana@example.test", "boris@example.test", "cleo@example.test"]) {
    const [row] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO members (email, name, created_at) VALUES (${email}, ${email.split("@")[0]}, now()) RETURNING id`,
    );
    ids.push(row!.id);
  }
  const granted = await api(app, "PUT", `/admin/api/members/${ids[1]}/complimentary`, {
    cookie: admin.cookie,
    body: { until: null, note: "Press pass" },
  });
  expect(granted.status).toBe(204);
  const list = async (query: string) =>
    (await (await api(app, "GET", `/admin/api/members${query}`, { cookie: admin.cookie })).json()) as {
      members: { email: string; state: string }[];
      total: number;
    };
  expect((await list("?filter=complimentary")).members.map((m) => m.email)).toEqual(["boris@example.test"]);
  expect((await list("?q=CLEO")).members).toEqual([
    expect.objectContaining({ email: "cleo@example.test", state: "free" }),
  ]);
  expect((await list("?q=%25")).total).toBe(0);
  expect((await list("?sort=oldest")).members[0]?.email).toBe("ana@example.test");
  const bad = await api(app, "GET", "/admin/api/members?filter=everyone", { cookie: admin.cookie });
  expect(bad.status).toBe(400);
  const unknown = await api(app, "PUT", "/admin/api/members/00000000-0000-4000-8000-000000000000/complimentary", {
    cookie: admin.cookie,
    body: { until: null },
  });
  expect(unknown.status).toBe(404);
  expect(await errorCodeOf(unknown)).toBe("MEMBER_NOT_FOUND");

  await app.db.execute(
    sql`INSERT INTO members (email, name, created_at) VALUES ('formula@example.test', '=HYPERLINK("http://evil")', now())`,
  );
  const csv = await api(app, "GET", "/admin/api/members.csv", { cookie: admin.cookie });
  expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const text = await csv.text();
  expect(text.split("\n")[0]).toBe("email,name,state,joined,current_period_end");
  expect(text).toContain("boris@example.test,boris,complimentary,");
  expect(text).toContain(`formula@example.test,"'=HYPERLINK(""http://evil"")",free,`);
  expect((await api(app, "GET", "/admin/api/members.csv", { cookie: editor.cookie })).status).toBe(403);

  const ended = await api(app, "DELETE", `/admin/api/members/${ids[1]}/complimentary`, { cookie: admin.cookie });
  expect(ended.status).toBe(204);
  expect((await list("?filter=complimentary")).total).toBe(0);
});

test("the revenue view counts subscribers, monthly revenue, the last 30 days and trial conversions", async () => {
  const now = app.built.clock.now();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const subscriptions: [string, string, Date, Date | null, boolean][] = [
    ["active", "month", daysAgo(3), null, false],
    ["active", "month", daysAgo(90), null, true],
    ["active", "year", daysAgo(40), null, false],
    ["trialing", "month", daysAgo(2), null, true],
    ["past_due", "month", daysAgo(60), null, false],
    ["canceled", "month", daysAgo(100), daysAgo(5), false],
  ];
  for (const [i, [status, interval, created, ended, trial]] of subscriptions.entries()) {
    const [member] = await queryRows<{ id: string }>(
      app.db,
      sql`INSERT INTO members (email, created_at) VALUES (${`payer${i}@example.test`}, now()) RETURNING id`,
    );
    await app.db.execute(sql`
      INSERT INTO subscriptions (stripe_subscription_id, member_id, status, interval, trial_started, ended_at,
                                 created_at, updated_at)
      VALUES (${`sub_test_${i}`}, ${member!.id}, ${status}, ${interval}, ${trial}, ${ended}, ${created}, ${created})`);
  }
  const res = await api(app, "GET", "/admin/api/revenue", { cookie: admin.cookie });
  expect(await res.json()).toEqual({
    currency: "EUR",
    activeSubscribers: 3,
    trialing: 1,
    pastDue: 1,
    // Two monthly at 4.99 and one yearly at 49.99 / 12.
    mrr: 2 * 499 + Math.round(4999 / 12),
    newLast30Days: 2,
    cancelledLast30Days: 1,
    trialConversions: 1,
  });
  const forbidden = await api(app, "GET", "/admin/api/revenue", { cookie: editor.cookie });
  expect(forbidden.status).toBe(403);
});

test("an admin sets the plan; /subscribe shows the new prices; a changed price makes a new Stripe price", async () => {
  await app.db.execute(
    sql`UPDATE billing_plan SET stripe_monthly_price_id = 'price_old', stripe_yearly_price_id = 'price_y'`,
  );
  const plan = {
    name: "Digital access",
    includes: "Every article, every newsletter.",
    monthlyAmount: 599,
    yearlyAmount: 4999,
    trialDays: 14,
    graceDays: 5,
  };
  const saved = await api(app, "PUT", "/admin/api/plan", { cookie: admin.cookie, body: plan });
  expect(await saved.json()).toEqual({ ...plan, currency: "EUR", stripeConnected: false });
  const [row] = await queryRows<{ m: string | null; y: string | null }>(
    app.db,
    sql`SELECT stripe_monthly_price_id AS m, stripe_yearly_price_id AS y FROM billing_plan`,
  );
  expect(row).toEqual({ m: null, y: "price_y" });
  expect(await app.html("/subscribe")).toContain("Every article, every newsletter.");
  const bad = await api(app, "PUT", "/admin/api/plan", { cookie: admin.cookie, body: { ...plan, monthlyAmount: 0 } });
  expect(bad.status).toBe(400);
  expect((await api(app, "PUT", "/admin/api/plan", { cookie: editor.cookie, body: plan })).status).toBe(403);
});

test("a CSV import checks every row, reports each bad one and imports nothing until all are good", async () => {
  const upload = (csv: string, cookie = admin.cookie) =>
    api(app, "POST", "/admin/api/members/import", { cookie, body: { csv } });
  const count = async () =>
    (await queryRows<{ n: number }>(app.db, sql`SELECT count(*)::int AS n FROM members`))[0]?.n ?? 0;
  const before = await count();
  const bad = await upload(
    ["Email,Name", "dora@example.test,Dora", "not-an-address,Eve", "dora@example.test,Dora again", ",Nobody"].join(
      "\n",
    ),
  );
  expect(bad.status).toBe(400);
  const refused = await bad.json();
  expect(refused.errors[0].code).toBe("IMPORT_ROWS_INVALID");
  expect(refused.errors[0].rows).toEqual([
    { line: 3, problem: '"not-an-address" is not an email address.' },
    { line: 4, problem: "dora@example.test is already on line 2." },
    { line: 5, problem: '"" is not an email address.' },
  ]);
  expect(await count()).toBe(before);

  expect((await (await upload('email\n"unclosed')).json()).errors[0].rows[0].line).toBe(0);
  expect((await (await upload("name\nJust a name")).json()).errors[0].rows).toEqual([
    { line: 1, problem: "The header needs an email column." },
  ]);
  expect((await upload("email\nx@example.test", editor.cookie)).status).toBe(403);
  expect((await api(app, "POST", "/admin/api/members/import", { cookie: admin.cookie, body: { csv: 5 } })).status).toBe(
    400,
  );

  const good = await upload("email,name\nDora@Example.test,Dora\nana@example.test,Ana\n");
  expect(await good.json()).toEqual({ created: 1, existing: ["ana@example.test"] });
  expect(await count()).toBe(before + 1);
});

test("a reader's page states their access as their line in the readers list does, decided by the server", async () => {
  const now = app.built.clock.now();
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const [member] = await queryRows<{ id: string }>(
    app.db,
    sql`INSERT INTO members (email, created_at) VALUES ('twice@example.test', now()) RETURNING id`,
  );
  // The subscription made last ended; the older one is still paid, and Stripe changed it last.
  const rows: [string, string, Date, Date][] = [
    ["sub_state_old", "active", daysAgo(200), daysAgo(1)],
    ["sub_state_new", "canceled", daysAgo(20), daysAgo(10)],
  ];
  for (const [id, status, created, updated] of rows) {
    await app.db.execute(sql`
      INSERT INTO subscriptions (stripe_subscription_id, member_id, status, interval, created_at, updated_at)
      VALUES (${id}, ${member!.id}, ${status}, 'month', ${created}, ${updated})`);
  }
  const stateInList = async () => {
    const res = await api(app, "GET", "/admin/api/members?q=twice", { cookie: admin.cookie });
    return ((await res.json()) as { members: { id: string; state: string }[] }).members[0]?.state;
  };
  const stateOnPage = async () => {
    const res = await api(app, "GET", `/admin/api/members/${member!.id}`, { cookie: admin.cookie });
    return ((await res.json()) as { state: string }).state;
  };
  expect(await stateInList()).toBe("subscriber");
  expect(await stateOnPage()).toBe("subscriber");

  const grant = await api(app, "PUT", `/admin/api/members/${member!.id}/complimentary`, {
    cookie: admin.cookie,
    body: { until: null },
  });
  expect(grant.status).toBe(204);
  expect(await stateInList()).toBe("complimentary");
  expect(await stateOnPage()).toBe("complimentary");
});
