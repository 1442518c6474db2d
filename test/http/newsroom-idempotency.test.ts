/**
 * POST /admin/api/articles with an Idempotency-Key: a retried create makes one article, even when the retries
 * arrive together; on PGlite and on PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { queryRows } from "../../src/db/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { paragraphsDoc } from "../support/make.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";

describe.each(databaseKinds())("creating an article with an Idempotency-Key on %s", (kind) => {
  let app: TestApp;
  let author: StaffAccount;
  let section: { id: string };
  const clock = fixedClock(new Date("2031-06-01T09:00:00Z"));
  let n = 0;

  beforeAll(async () => {
    app = await startApp({ template: "empty", clock, database: kind });
    author = await signedInStaff(app, "author");
    section = await app.make.section();
  });
  afterAll(() => app.close());

  const fields = (as: StaffAccount, title = `Lock gates ${++n} reopen`) => ({
    title,
    kind: "news",
    sectionId: section.id,
    authorIds: [as.id],
    body: paragraphsDoc(["The canal is open again."]),
  });
  const create = (as: StaffAccount, body: unknown, key?: string) =>
    api(app, "POST", "/admin/api/articles", {
      cookie: as.cookie,
      body,
      ...(key === undefined ? {} : { headers: { "idempotency-key": key } }),
    });
  const countTitled = async (title: string) => {
    const [row] = await queryRows<{ n: number }>(
      app.db,
      sql`SELECT count(*)::int AS n FROM articles WHERE title = ${title}`,
    );
    return row?.n;
  };

  test("a retry with the same key answers with the first article, same status and body, and makes no second", async () => {
    const body = fields(author);
    const key = randomUUID();
    const first = await create(author, body, key);
    const retry = await create(author, { ...body }, key);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(await retry.text()).toBe(await first.text());
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await countTitled(body.title)).toBe(1);
  });

  test("the same body with its keys in another order is the same request", async () => {
    const { body: text, ...rest } = fields(author);
    const key = randomUUID();
    const first = await create(author, { ...rest, body: text }, key);
    const reordered = await create(author, { body: text, ...rest }, key);
    expect(reordered.status).toBe(201);
    expect((await reordered.json()).article.id).toBe((await first.json()).article.id);
  });

  test("two requests with one key sent at once make one article and both get it", async () => {
    const body = fields(author);
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => create(author, body, key)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const ids = await Promise.all(answers.map(async (a) => (await a.json()).article.id));
    expect(new Set(ids).size).toBe(1);
    expect(await countTitled(body.title)).toBe(1);
  });

  test("the same key with a different body is refused with 409, naming the header, and creates nothing", async () => {
    const key = randomUUID();
    expect((await create(author, fields(author), key)).status).toBe(201);
    const other = fields(author);
    const refused = await create(author, other, key);
    expect(refused.status).toBe(409);
    expect((await refused.json()).errors[0]).toMatchObject({
      code: "IDEMPOTENCY_KEY_REUSED",
      property: "Idempotency-Key",
      message: expect.stringContaining("Idempotency-Key"),
    });
    expect(await countTitled(other.title)).toBe(0);
  });

  test("keys are per staff member: a colleague's same key makes their own article", async () => {
    const colleague = await signedInStaff(app, "author");
    const key = `shared-key-${kind}`;
    const mine = await create(author, fields(author, `Quay ${++n}`), key);
    const theirs = await create(colleague, fields(colleague, `Quay ${++n}`), key);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect((await theirs.json()).article.id).not.toBe((await mine.json()).article.id);
  });

  test("a key is kept for 24 hours, then a retry with it creates a new article", async () => {
    const body = fields(author);
    const key = randomUUID();
    const first = (await (await create(author, body, key)).json()).article.id;
    clock.advance(23 * 3_600_000);
    expect((await (await create(author, body, key)).json()).article.id).toBe(first);
    clock.advance(2 * 3_600_000);
    const later = await create(author, body, key);
    expect(later.status).toBe(201);
    expect((await later.json()).article.id).not.toBe(first);
    expect(await countTitled(body.title)).toBe(2);
  });

  test("a create that fails leaves its key unused", async () => {
    const key = randomUUID();
    const failed = await create(author, { ...fields(author), sectionId: "00000000-0000-4000-8000-000000000000" }, key);
    expect(failed.status).toBeGreaterThanOrEqual(400);
    const body = fields(author);
    expect((await create(author, body, key)).status).toBe(201);
    expect(await countTitled(body.title)).toBe(1);
  });

  test("a key that is empty, longer than 200 characters or not printable ASCII is a 400 naming the header", async () => {
    for (const key of ["", "k".repeat(201), "tab\there", "caf\u00e9"]) {
      const title = `Refused key ${++n}`;
      const res = await create(author, fields(author, title), key);
      expect({ key, status: res.status }).toEqual({ key, status: 400 });
      expect((await res.json()).errors[0]).toMatchObject({
        code: "INVALID_IDEMPOTENCY_KEY",
        property: "Idempotency-Key",
        message: expect.stringContaining("Idempotency-Key"),
      });
      expect(await countTitled(title)).toBe(0);
    }
    expect((await create(author, fields(author), "k".repeat(200))).status).toBe(201);
    expect((await create(author, fields(author), "~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}")).status).toBe(201);
  });

  test("without a key, each request creates an article as before", async () => {
    const body = fields(author);
    expect((await create(author, body)).status).toBe(201);
    expect((await create(author, body)).status).toBe(201);
    expect(await countTitled(body.title)).toBe(2);
  });
});
