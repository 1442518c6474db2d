/**
 * Purges at the edge are written in the transaction of the change they follow: a change that commits has its
 * `cdn:purge` jobs (the exact keys it invalidates, now and again CDN_REPURGE_SECONDS later), one that rolls back
 * has none. The edge is the webhook provider's stand-in on loopback, which records the keys it is sent.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { surrogateKeysToPurge } from "../../src/cdn/index.js";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { waitFor } from "../support/processes.js";

type PurgeJob = { keys: string[]; isRepurge: boolean; delaySeconds: number; status: string };

describe.each(databaseKinds())("purges written with their change on %s", (kind) => {
  let app: TestApp;
  let hook: Server;
  let admin: StaffAccount;
  /** Each purge the stand-in edge received, as its list of keys. */
  const heard: string[][] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        heard.push((JSON.parse(body) as { keys: string[] }).keys);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    app = await startApp({
      template: "empty",
      database: kind,
      env: {
        CDN_PROVIDER: "webhook",
        CDN_PURGE_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/purge`,
        CDN_REPURGE_SECONDS: "1",
      },
    });
    await app.make.settings();
    admin = await signedInStaff(app, "admin");
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => hook.close(resolve));
  });

  /** The purge jobs whose keys include `key`, oldest first. */
  const purgesNaming = (key: string) =>
    queryRows<PurgeJob>(
      app.db,
      sql`SELECT payload->'keys' AS keys, coalesce((payload->>'isRepurge')::boolean, false) AS "isRepurge",
                 extract(epoch FROM run_at - created_at)::float AS "delaySeconds", status
          FROM jobs WHERE kind = 'cdn:purge' AND payload->'keys' ? ${key} ORDER BY run_at`,
    );
  const timesHeard = (key: string) => heard.filter((keys) => keys.includes(key)).length;

  test("a publication's purge names exactly what it invalidates, at once and again a second later", async () => {
    const article = await app.make.article({ title: "Tram line opens", status: "draft" });
    const { invalidates } = await app.publish(article.id);
    const keys = surrogateKeysToPurge(invalidates);
    const jobs = await purgesNaming(content.cacheTags.article(article.id));
    expect(jobs.map((job) => [job.keys, job.isRepurge, job.delaySeconds])).toEqual([
      [keys, false, 0],
      [keys, true, 1],
    ]);
    // The edge hears both: the second drops a copy refetched from a process that had not yet heard the change.
    await waitFor("both purges at the edge", () => timesHeard(content.cacheTags.article(article.id)) === 2);
    expect(heard.filter((k) => k.includes(content.cacheTags.article(article.id)))).toEqual([keys, keys]);
  });

  test("a change that rolls back leaves no purge and no change", async () => {
    const article = await app.make.article({ title: "Bridge toll scrapped", status: "draft" });
    const clock = app.built.clock;
    await expect(
      app.built.invalidator.commit(async (tx) => {
        await content.publishArticle({ db: tx, clock }, { id: article.id });
        throw new Error("refused after the publication was written");
      }),
    ).rejects.toThrow(/refused after/);
    const [row] = await queryRows<{ status: string }>(
      app.db,
      sql`SELECT status FROM articles WHERE id = ${article.id}`,
    );
    expect(row?.status).toBe("draft");
    expect(await purgesNaming(content.cacheTags.article(article.id))).toEqual([]);
    // A refused newsroom change writes nothing either: a correction on a draft is a 409.
    const refused = await api(app, "POST", `/admin/api/articles/${article.id}/corrections`, {
      cookie: admin.cookie,
      body: { kind: "correction", note: "The toll was never scrapped." },
    });
    expect(refused.status).toBe(409);
    expect(await purgesNaming(content.cacheTags.article(article.id))).toEqual([]);
  });

  test("every newsroom change that drops pages writes its purge in the same transaction", async () => {
    const article = await app.make.article({ title: "Harbour dredging starts", status: "draft", tags: ["Ports"] });
    const [tag] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM tags WHERE slug = 'ports'`);
    const send = async (method: string, path: string, body?: unknown) => {
      const res = await api(app, method, `/admin/api${path}`, { cookie: admin.cookie, body });
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.status === 204 ? undefined : res.json();
    };
    const get = (path: string) => send("GET", path);
    const changes: [string, () => Promise<unknown>, string][] = [
      ["publish", () => send("POST", `/articles/${article.id}/publish`, {}), content.cacheTags.article(article.id)],
      [
        "correction",
        () => send("POST", `/articles/${article.id}/corrections`, { kind: "correction", note: "Spelling." }),
        content.cacheTags.article(article.id),
      ],
      [
        "section rename",
        () => send("PUT", `/sections/${article.section.id}`, { name: "Harbours" }),
        content.cacheTags.section(article.section.id),
      ],
      ["tag rename", () => send("PUT", `/tags/${tag?.id}`, { name: "Sea ports" }), content.cacheTags.tag(tag!.id)],
      ["unpublish", () => send("POST", `/articles/${article.id}/unpublish`, {}), content.cacheTags.article(article.id)],
      ["home curation", async () => send("PUT", "/home", { leadId: null, topIds: [] }), content.cacheTags.home],
      [
        "breaking strip",
        () => {
          const expiresAt = new Date(app.built.clock.now().getTime() + 3_600_000).toISOString();
          return send("PUT", "/breaking", { text: "Storm warning", expiresAt });
        },
        content.cacheTags.site,
      ],
      ["settings", async () => send("PUT", "/settings", await get("/settings")), content.cacheTags.site],
      ["paywall", async () => send("PUT", "/paywall", await get("/paywall")), content.cacheTags.site],
      [
        "plan",
        async () => {
          const { currency: _c, stripeConnected: _s, ...plan } = (await get("/plan")) as Record<string, unknown>;
          return send("PUT", "/plan", plan);
        },
        content.cacheTags.site,
      ],
      [
        "offer",
        () => send("POST", "/offers", { code: "SPRING", name: "Spring", percentOff: 20, duration: "once" }),
        content.cacheTags.site,
      ],
      ["profile", async () => send("PUT", "/profile", await get("/profile")), content.cacheTags.site],
      ["newsletter", () => send("POST", "/newsletters", { name: "Evening Edition" }), content.cacheTags.site],
    ];
    for (const [what, change, key] of changes) {
      const before = (await purgesNaming(key)).length;
      await change();
      // Two jobs, now and the second purge, for every change; none is left to a step after the commit.
      expect((await purgesNaming(key)).length - before, what).toBe(2);
    }
  });

  test("a purge that failed is listed for admins and sent once it is queued again as the README says", async () => {
    await app.db.execute(
      sql`INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at, finished_at, last_error)
          VALUES ('cdn:purge', '{"keys": ["section:given-up"]}'::jsonb, 'failed', 20, 20, now(), now(), now(),
                  'webhook purge answered 503')`,
    );
    const listed = await api(app, "GET", "/admin/api/jobs?status=failed&kind=cdn:purge", { cookie: admin.cookie });
    expect((await listed.json()).jobs).toEqual([
      expect.objectContaining({ kind: "cdn:purge", status: "failed", lastError: "webhook purge answered 503" }),
    ]);
    // The README's replay, word for word.
    await app.db.execute(
      sql.raw(`UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), finished_at = NULL, last_error = NULL
       WHERE kind = 'cdn:purge' AND status = 'failed';`),
    );
    await waitFor("the replayed purge at the edge", () => timesHeard("section:given-up") === 1);
  });

  test("a scheduled article going live writes its purge with its publication", async () => {
    const article = await app.make.article({ title: "Night ferry resumes", status: "draft" });
    await app.db.execute(
      sql`UPDATE articles SET status = 'scheduled', published_at = now() - interval '1 minute' WHERE id = ${article.id}`,
    );
    expect(await app.built.scheduler.publishDue()).toContain(article.id);
    const jobs = await purgesNaming(content.cacheTags.article(article.id));
    expect(jobs.map((job) => job.isRepurge)).toEqual([false, true]);
  });

  test('a new "Most read" list purges the front page at the edge; an unchanged one does not', async () => {
    const before = (await purgesNaming(content.cacheTags.home)).length;
    // A process's first check always drops the front page: it may have been rendered before anything was counted.
    expect(await app.built.rounds.checkMostRead()).toBe(true);
    expect((await purgesNaming(content.cacheTags.home)).length - before).toBe(2);
    expect(await app.built.rounds.checkMostRead()).toBe(false);
    expect((await purgesNaming(content.cacheTags.home)).length - before).toBe(2);
  });
});
