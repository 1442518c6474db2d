import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { queryRows, withTransaction } from "../db/index.js";
import { systemClock } from "../shared/clock.js";
import { claimDueJobs, recordOutcomes } from "./claims.js";
import { enqueueJob, enqueueJobs } from "./enqueue.js";
import { listJobs } from "./queries.js";
import {
  createJobRunner,
  type JobHandler,
  type JobRunner,
  type JobRunnerOptions,
  PermanentJobError,
} from "./runner.js";

const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
// Retries a few milliseconds apart, so a test waits for them without a long pause.
const quickBackoff = { baseMs: 5, maxMs: 20 };

describe.each(databaseKinds())("the job queue on %s", (kind) => {
  let testDb: TestDatabase;
  const runners: JobRunner[] = [];
  let n = 0;
  /** A kind of its own per test, so a test's runner never sees another test's jobs. */
  const newKind = () => `test.kind-${++n}`;

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });
  afterAll(async () => {
    await testDb.close();
  });

  async function startRunner(options: JobRunnerOptions): Promise<JobRunner> {
    const runner = createJobRunner(
      { database: testDb.database, log: silentLog },
      { backoff: quickBackoff, ...options },
    );
    runners.push(runner);
    await runner.start();
    return runner;
  }

  const jobOf = async (id: string | undefined) =>
    (await listJobs(testDb.database.db, { limit: 1000 })).find((job) => job.id === id);

  test("an enqueued job runs once with its payload, announced by NOTIFY rather than found by a poll", async () => {
    const seen: unknown[] = [];
    const jobKind = newKind();
    // A poll a minute apart: only the notification can start the job while the test waits.
    await startRunner({ handlers: { [jobKind]: async (payload) => void seen.push(payload) }, pollMs: 60_000 });
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: { to: "reader@example.test", n: 1 } });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("succeeded");
    expect(seen).toEqual([{ to: "reader@example.test", n: 1 }]);
    expect(await jobOf(id)).toMatchObject({ attempts: 1, lastError: null });
  });

  test("a second enqueue with the same key is a no-op", async () => {
    const jobKind = newKind();
    const first = await enqueueJob(testDb.database.db, { kind: jobKind, payload: 1, key: `${jobKind}:once` });
    const second = await enqueueJob(testDb.database.db, { kind: jobKind, payload: 2, key: `${jobKind}:once` });
    expect(first).toBeTypeOf("string");
    expect(second).toBeUndefined();
    expect(await listJobs(testDb.database.db, { kind: jobKind, limit: 10 })).toHaveLength(1);
  });

  test("a job enqueued in a transaction exists only if the transaction commits", async () => {
    const jobKind = newKind();
    await expect(
      withTransaction(testDb.database.db, async (tx) => {
        await enqueueJob(tx, { kind: jobKind, payload: "rolled back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await listJobs(testDb.database.db, { kind: jobKind, limit: 10 })).toEqual([]);
    const ran: unknown[] = [];
    await startRunner({ handlers: { [jobKind]: async (payload) => void ran.push(payload) }, pollMs: 60_000 });
    const id = await withTransaction(testDb.database.db, (tx) => enqueueJob(tx, { kind: jobKind, payload: "kept" }));
    await expect.poll(async () => (await jobOf(id))?.status).toBe("succeeded");
    expect(ran).toEqual(["kept"]);
  });

  test("a thrown error is retried with the next attempt number until the handler succeeds", async () => {
    const jobKind = newKind();
    const attempts: number[] = [];
    const flaky: JobHandler = async (_payload, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error(`refused on attempt ${ctx.attempt}`);
    };
    await startRunner({ handlers: { [jobKind]: flaky }, pollMs: 10 });
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: {} });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("succeeded");
    expect(attempts).toEqual([1, 2, 3]);
    expect(await jobOf(id)).toMatchObject({ attempts: 3, lastError: null });
  });

  test("a job that fails every attempt ends failed with its last error, listed for staff", async () => {
    const jobKind = newKind();
    await startRunner({
      handlers: {
        [jobKind]: async (_payload, ctx) => {
          throw new Error(`mail server said no (${ctx.attempt})`);
        },
      },
      pollMs: 10,
    });
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: {}, maxAttempts: 3 });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("failed");
    const failed = await listJobs(testDb.database.db, { status: "failed", kind: jobKind, limit: 10 });
    expect(failed).toEqual([
      expect.objectContaining({ id, attempts: 3, maxAttempts: 3, lastError: "mail server said no (3)" }),
    ]);
    expect(failed[0]?.finishedAt).toBeInstanceOf(Date);
  });

  test("a permanent error fails the job at once, without retries", async () => {
    const jobKind = newKind();
    let calls = 0;
    await startRunner({
      handlers: {
        [jobKind]: async () => {
          calls++;
          throw new PermanentJobError("550 no such mailbox");
        },
      },
      pollMs: 10,
    });
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: {} });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("failed");
    expect(calls).toBe(1);
    expect(await jobOf(id)).toMatchObject({ attempts: 1, lastError: "550 no such mailbox" });
  });

  test("no more jobs of a kind run at once than its concurrency", async () => {
    const jobKind = newKind();
    let active = 0;
    let mostActive = 0;
    const gates: (() => void)[] = [];
    await startRunner({
      handlers: {
        [jobKind]: async () => {
          active++;
          mostActive = Math.max(mostActive, active);
          await new Promise<void>((release) => gates.push(release));
          active--;
        },
      },
      concurrency: { [jobKind]: 2 },
      pollMs: 10,
    });
    for (let i = 0; i < 6; i++) await enqueueJob(testDb.database, { kind: jobKind, payload: i });
    // Release the running pair whenever it is full, until all six have run.
    let released = 0;
    while (released < 6) {
      await expect.poll(() => gates.length).toBe(Math.min(2, 6 - released));
      for (const release of gates.splice(0)) {
        release();
        released++;
      }
    }
    await expect
      .poll(async () => (await listJobs(testDb.database.db, { kind: jobKind, status: "succeeded", limit: 10 })).length)
      .toBe(6);
    expect(mostActive).toBe(2);
  });

  test("a batch claimed together ends each job its own way: done, retried after its backoff, failed at once", async () => {
    const jobKind = newKind();
    const gates: (() => void)[] = [];
    const attempts = new Map<string, number[]>();
    await startRunner({
      handlers: {
        [jobKind]: async (payload, ctx) => {
          const name = payload as string;
          attempts.set(name, [...(attempts.get(name) ?? []), ctx.attempt]);
          if (ctx.attempt === 1) await new Promise<void>((release) => gates.push(release));
          if (name.startsWith("busy") && ctx.attempt === 1) throw new Error("451 try again later");
          if (name.startsWith("gone")) throw new PermanentJobError("550 no such mailbox");
        },
      },
      concurrency: { [jobKind]: 9 },
      pollMs: 10,
    });
    const names = ["ok-1", "busy-1", "gone-1", "ok-2", "busy-2", "gone-2", "ok-3", "busy-3", "gone-3"];
    const ids = await enqueueJobs(
      testDb.database,
      names.map((name) => ({ kind: jobKind, payload: name })),
    );
    // All nine are running at once, then finish together: their outcomes are written as one batch.
    await expect.poll(() => gates.length).toBe(9);
    for (const release of gates.splice(0)) release();
    await expect
      .poll(async () => (await Promise.all(ids.map(jobOf))).map((job) => job?.status))
      .toEqual(names.map((name) => (name.startsWith("gone") ? "failed" : "succeeded")));
    const jobs = await Promise.all(ids.map(jobOf));
    expect(jobs.map((job) => [job?.attempts, job?.lastError])).toEqual(
      names.map((name) =>
        name.startsWith("gone") ? [1, "550 no such mailbox"] : [name.startsWith("busy") ? 2 : 1, null],
      ),
    );
    expect(Object.fromEntries(attempts)).toEqual(
      Object.fromEntries(names.map((name) => [name, name.startsWith("busy") ? [1, 2] : [1]])),
    );
  });

  test("outcomes written together: each names its attempt, and one whose lease was taken over writes nothing", async () => {
    const jobKind = newKind();
    const ids = await enqueueJobs(
      testDb.database,
      [1, 2, 3, 4].map((n) => ({ kind: jobKind, payload: n })),
    );
    const claimed = await claimDueJobs(testDb.database.db, { kind: jobKind, limit: 4, leaseMs: 60_000 });
    expect(claimed.map((job) => job.id).toSorted()).toEqual(ids.toSorted());
    const [done, retried, failed, stale] = claimed.map((job) => job);
    if (!done || !retried || !failed || !stale) throw new Error("four jobs were claimed");
    await recordOutcomes(testDb.database.db, [
      { job: done, succeeded: true },
      { job: retried, succeeded: false, error: "451 busy", retryInMs: 3_600_000 },
      { job: failed, succeeded: false, error: "550 gone", retryInMs: undefined },
      // A runner that lost this job's lease: the attempt it names is not the job's current one.
      { job: { ...stale, attempt: stale.attempt - 1 }, succeeded: true },
    ]);
    const rows = await queryRows<{ id: string; status: string; last_error: string | null; later: boolean }>(
      testDb.database.db,
      sql`SELECT id, status, last_error, run_at > now() + interval '59 minutes' AS later FROM jobs WHERE kind = ${jobKind}`,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(done.id)).toMatchObject({ status: "succeeded", last_error: null, later: false });
    expect(byId.get(retried.id)).toMatchObject({ status: "queued", last_error: "451 busy", later: true });
    expect(byId.get(failed.id)).toMatchObject({ status: "failed", last_error: "550 gone", later: false });
    expect(byId.get(stale.id)).toMatchObject({ status: "running", last_error: null });
  });

  test("a runner killed mid-batch: the outcomes it wrote stand, the rest run again once their leases run out", async () => {
    const jobKind = newKind();
    const ids = await enqueueJobs(
      testDb.database,
      [1, 2, 3, 4, 5].map((n) => ({ kind: jobKind, payload: n })),
    );
    // The dead runner claimed all five, recorded two, and was killed (kill -9) with three in hand.
    const claimed = await claimDueJobs(testDb.database.db, { kind: jobKind, limit: 5, leaseMs: 50 });
    expect(claimed).toHaveLength(5);
    const recorded = claimed.slice(0, 2);
    await recordOutcomes(
      testDb.database.db,
      recorded.map((job) => ({ job, succeeded: true })),
    );
    const reran: { payload: unknown; attempt: number }[] = [];
    await startRunner({
      handlers: { [jobKind]: async (payload, ctx) => void reran.push({ payload, attempt: ctx.attempt }) },
      pollMs: 10,
    });
    await expect
      .poll(async () => (await Promise.all(ids.map(jobOf))).every((job) => job?.status === "succeeded"))
      .toBe(true);
    expect(reran.map((run) => run.payload).toSorted()).toEqual(
      claimed
        .slice(2)
        .map((job) => job.payload)
        .toSorted(),
    );
    expect(reran.every((run) => run.attempt === 2)).toBe(true);
  });

  test("due jobs of a kind are claimed highest priority first, then oldest first", async () => {
    const jobKind = newKind();
    const minutesAgo = (minutes: number) => new Date(systemClock.now().getTime() - minutes * 60_000);
    await enqueueJobs(
      testDb.database,
      [1, 2, 3].map((n) => ({ kind: jobKind, payload: `bulk-${n}`, runAt: minutesAgo(10 - n) })),
    );
    await enqueueJob(testDb.database, { kind: jobKind, payload: "sign-in link", priority: 1 });
    const claimOne = async () =>
      (await claimDueJobs(testDb.database.db, { kind: jobKind, limit: 1, leaseMs: 60_000 })).map((job) => job.payload);
    expect(await claimOne()).toEqual(["sign-in link"]);
    expect(await claimOne()).toEqual(["bulk-1"]);
  });

  test("a job whose runner died is claimed again once its lease runs out", async () => {
    const jobKind = newKind();
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: "survives" });
    // A runner claims it with a short lease and is never heard from again (kill -9).
    const [claimed] = await claimDueJobs(testDb.database.db, { kind: jobKind, limit: 1, leaseMs: 50 });
    expect(claimed?.id).toBe(id);
    const attempts: number[] = [];
    await startRunner({ handlers: { [jobKind]: async (_p, ctx) => void attempts.push(ctx.attempt) }, pollMs: 10 });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("succeeded");
    expect(attempts).toEqual([2]);
  });

  test("a job whose runner died during its last allowed attempt ends failed, not run again", async () => {
    const jobKind = newKind();
    let calls = 0;
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: {}, maxAttempts: 1 });
    await claimDueJobs(testDb.database.db, { kind: jobKind, limit: 1, leaseMs: 50 });
    await startRunner({ handlers: { [jobKind]: async () => void calls++ }, pollMs: 10 });
    await expect.poll(async () => (await jobOf(id))?.status).toBe("failed");
    expect(calls).toBe(0);
    expect((await jobOf(id))?.lastError).toMatch(/stopped before it finished/);
  });

  test("a job set to run later waits for its time", async () => {
    const jobKind = newKind();
    const ran: unknown[] = [];
    await startRunner({ handlers: { [jobKind]: async (payload) => void ran.push(payload) }, pollMs: 10 });
    const later = await enqueueJob(testDb.database, {
      kind: jobKind,
      payload: "tomorrow",
      runAt: new Date(systemClock.now().getTime() + 86_400_000),
    });
    const now = await enqueueJob(testDb.database, { kind: jobKind, payload: "now" });
    await expect.poll(async () => (await jobOf(now))?.status).toBe("succeeded");
    expect(ran).toEqual(["now"]);
    expect(await jobOf(later)).toMatchObject({ status: "queued", attempts: 0 });
  });

  test("two runners on one database run each job exactly once", async () => {
    const jobKind = newKind();
    const seen: number[] = [];
    const handler: JobHandler = async (payload) => void seen.push(payload as number);
    await startRunner({ handlers: { [jobKind]: handler }, concurrency: { [jobKind]: 3 }, pollMs: 10 });
    await startRunner({ handlers: { [jobKind]: handler }, concurrency: { [jobKind]: 3 }, pollMs: 10 });
    for (let i = 0; i < 30; i++) await enqueueJob(testDb.database, { kind: jobKind, payload: i });
    await expect.poll(() => seen.length).toBe(30);
    expect(seen.toSorted((a, b) => a - b)).toEqual([...Array(30).keys()]);
    const [counts] = await queryRows<{ attempts: string }>(
      testDb.database.db,
      sql`SELECT sum(attempts)::text AS attempts FROM jobs WHERE kind = ${jobKind}`,
    );
    expect(counts?.attempts).toBe("30");
  });

  test("stopping signals the running job and waits for it to finish", async () => {
    const jobKind = newKind();
    let started = false;
    const runner = await startRunner({
      handlers: {
        [jobKind]: async (_payload, ctx) => {
          started = true;
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve));
        },
      },
      pollMs: 10,
    });
    const id = await enqueueJob(testDb.database, { kind: jobKind, payload: {} });
    await expect.poll(() => started).toBe(true);
    await runner.stop();
    // It returned normally when signalled, so it finished: stop waited for its outcome to be written.
    expect((await jobOf(id))?.status).toBe("succeeded");
  });

  test("a job's kind, key, attempts and payload are checked before anything is written", async () => {
    const db = testDb.database.db;
    await expect(enqueueJob(db, { kind: "", payload: 1 })).rejects.toThrow(/kind/);
    await expect(enqueueJob(db, { kind: "k", payload: 1, key: "" })).rejects.toThrow(/key/);
    await expect(enqueueJob(db, { kind: "k", payload: 1, maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(enqueueJob(db, { kind: "k", payload: undefined })).rejects.toThrow(/JSON/);
    await expect(enqueueJob(db, { kind: "k", payload: 1, priority: 0.5 })).rejects.toThrow(/priority/);
    expect(await listJobs(db, { kind: "k", limit: 10 })).toEqual([]);
  });
});
