/** The background queue in the newsroom: admins see failed jobs and their last error; nobody else sees the queue. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { createJobRunner, enqueueJob, PermanentJobError } from "../../src/jobs/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { api, errorCodeOf, type StaffAccount, signedInStaff } from "../support/newsroom.js";

let app: TestApp;
let admin: StaffAccount;
let editor: StaffAccount;

beforeAll(async () => {
  app = await startApp({ template: "empty" });
  admin = await signedInStaff(app, "admin");
  editor = await signedInStaff(app, "editor");
});
afterAll(() => app.close());

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

test("a job that failed for good is listed for admins with its last error", async () => {
  const runner = createJobRunner(
    { database: app.built.database, log: silentLog },
    {
      handlers: {
        "test.refused": async () => {
          throw new PermanentJobError("550 5.1.1 mailbox unavailable");
        },
      },
    },
  );
  await runner.start();
  try {
    const id = await enqueueJob(app.db, { kind: "test.refused", payload: { n: 1 }, key: "refused-once" });
    await expect
      .poll(async () => {
        const res = await api(app, "GET", "/admin/api/jobs?status=failed&kind=test.refused", { cookie: admin.cookie });
        return ((await res.json()) as { jobs: { id: string }[] }).jobs.map((job) => job.id);
      })
      .toEqual([id]);
  } finally {
    await runner.stop();
  }
  const res = await api(app, "GET", "/admin/api/jobs?status=failed", { cookie: admin.cookie });
  expect(res.headers.get("cache-control")).toBe("no-store");
  const { jobs } = (await res.json()) as { jobs: Record<string, unknown>[] };
  expect(jobs[0]).toMatchObject({
    kind: "test.refused",
    key: "refused-once",
    status: "failed",
    attempts: 1,
    lastError: "550 5.1.1 mailbox unavailable",
  });
  // The payload may hold a reader's data: never part of the listing.
  expect(jobs[0]).not.toHaveProperty("payload");
});

test("the queue is for admins only", async () => {
  const res = await api(app, "GET", "/admin/api/jobs", { cookie: editor.cookie });
  expect(res.status).toBe(403);
  expect((await api(app, "GET", "/admin/api/jobs")).status).toBe(401);
});

test("an unknown status or an oversized limit is refused, naming the problem", async () => {
  const badStatus = await api(app, "GET", "/admin/api/jobs?status=lost", { cookie: admin.cookie });
  expect(badStatus.status).toBe(400);
  expect(await errorCodeOf(badStatus)).toBe("VALIDATION_FAILED");
  const tooMany = await api(app, "GET", "/admin/api/jobs?limit=100000", { cookie: admin.cookie });
  expect(tooMany.status).toBe(400);
  expect(((await tooMany.json()) as { errors: { property: string }[] }).errors[0]?.property).toBe("limit");
});
