/**
 * Broadsheet behind a real Varnish running the generated VCL: what is kept and shared, what is purged at once on a
 * change, what is never stored, and what is still served while the origin is down. Each purge job is awaited
 * (done once the edge confirmed it), so no check depends on how fast the machine is; the time from a save to the
 * edge serving it is printed.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import { freePort, startApp, type TestApp } from "../support/app.js";
import { signIn } from "../support/members.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";
import { startVarnish, type TestVarnish } from "../support/varnish.js";

let app: TestApp;
let varnish: TestVarnish;
let smtp: TestSmtp;
let editor: StaffAccount;
let n = 0;

beforeAll(async () => {
  const edgePort = await freePort();
  smtp = await startSmtpServer();
  app = await startApp({
    template: "empty",
    env: {
      PUBLIC_URL: `http://127.0.0.1:${edgePort}`,
      SMTP_URL: smtp.url,
      CDN_PROVIDER: "varnish",
      CDN_PURGE_URL: `http://127.0.0.1:${edgePort}/`,
    },
  });
  await app.make.settings();
  await content.updatePaywallSettings(app.db, { anonymousAllowance: 2, registeredAllowance: 3 });
  await app.built.invalidator.invalidate(["site"]);
  varnish = await startVarnish(edgePort, Number(new URL(app.url).port));
  editor = await signedInStaff(app, "editor");
});
afterAll(async () => {
  await varnish?.stop();
  await app?.close();
  await smtp?.close();
});

const edge = (path: string, cookie?: string) =>
  fetch(varnish.url + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
const cacheOf = (res: Response) => res.headers.get("x-cache");

async function article(spec: { accessLevel?: content.AccessLevel; isMetered?: boolean; title?: string } = {}) {
  const secret = `Gated sentence number ${++n} about the harbour contract.`;
  const made = await app.make.article({
    ...spec,
    status: "draft",
    paragraphs: ["The preview paragraph anyone may read.", secret],
    previewAfter: 1,
  });
  // Published as the newsroom publishes: the pages that list it are refreshed, here and at the edge.
  await app.publish(made.id);
  await purgesDone();
  return { ...made, path: `/${made.section.slug}/${made.slug}`, secret };
}

/**
 * Waits until the queue has run every first purge: each is done (the edge confirmed it) or failed. The second
 * purge of each change (CDN_REPURGE_SECONDS later) is not waited for: what is checked is served after the first.
 */
async function purgesDone(): Promise<void> {
  const pending = async () =>
    (
      await queryRows<{ n: number }>(
        app.db,
        sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'cdn:purge' AND status IN ('queued', 'running')
            AND payload->'isRepurge' IS NULL`,
      )
    )[0]?.n;
  await expect.poll(pending).toBe(0);
  const [failed] = await queryRows<{ n: number }>(
    app.db,
    sql`SELECT count(*)::int AS n FROM jobs WHERE kind = 'cdn:purge' AND status = 'failed'`,
  );
  expect(failed?.n).toBe(0);
}

/** An editor's save through the newsroom API, then its purge job run: milliseconds from the save to the edge. */
async function saveThenPurged(change: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await change();
  expect(res.status).toBeLessThan(300);
  await purgesDone();
  return performance.now() - started;
}

async function editTitle(id: string, title: string): Promise<Response> {
  const current = (await (await api(app, "GET", `/admin/api/articles/${id}`, { cookie: editor.cookie })).json())
    .article;
  return api(app, "PUT", `/admin/api/articles/${id}`, {
    cookie: editor.cookie,
    body: { baseVersion: current.version, fields: { ...current.fields, title } },
  });
}

describe("through the cache", () => {
  test("the second anonymous request for an article, the front page, a section page and a feed is a hit", async () => {
    const story = await article();
    for (const path of [story.path, "/", `/section/${story.section.slug}`, "/feed"]) {
      const first = await edge(path);
      expect(first.status, path).toBe(200);
      expect(cacheOf(first), path).toBe("miss");
      const second = await edge(path);
      expect(cacheOf(second), path).toBe("hit");
      expect(await second.text()).toBe(await first.text());
      // The edge's own headers stay at the edge; the browser gets the origin's policy and Vary.
      expect(second.headers.get("surrogate-key")).toBeNull();
      expect(second.headers.get("vary")).toMatch(/Accept-Encoding/);
    }
  });

  test("an edited headline is served at once on the article, the front page and the feeds", async () => {
    const story = await article({ title: "Harbour talks stall" });
    const pages = [story.path, "/", "/feed", "/feed/atom", "/feed/json"];
    for (const path of pages) {
      expect(await (await edge(path)).text()).toContain("Harbour talks stall");
      expect(cacheOf(await edge(path))).toBe("hit");
    }
    const ms = await saveThenPurged(() => editTitle(story.id, "Harbour talks resume"));
    for (const path of pages) {
      const res = await edge(path);
      const body = await res.text();
      expect(body, path).toContain("Harbour talks resume");
      expect(body, path).not.toContain("Harbour talks stall");
    }
    console.info(`edited headline: saved and purged at the edge in ${ms.toFixed(0)} ms`);
  });

  test("an unpublished article is gone at once", async () => {
    const story = await article({ title: "Ferry timetable leaked" });
    expect(cacheOf(await edge(story.path))).toBe("miss");
    expect(cacheOf(await edge(story.path))).toBe("hit");
    expect(await (await edge("/")).text()).toContain("Ferry timetable leaked");
    const ms = await saveThenPurged(() =>
      api(app, "POST", `/admin/api/articles/${story.id}/unpublish`, { cookie: editor.cookie, body: {} }),
    );
    expect((await edge(story.path)).status).toBe(404);
    expect(await (await edge("/")).text()).not.toContain("Ferry timetable leaked");
    console.info(`unpublished article: gone from the edge in ${ms.toFixed(0)} ms`);
  });
});

describe("readers", () => {
  async function subscriber(): Promise<string> {
    const email = `reader${++n}@example.test`;
    const cookie = await signIn(app, smtp, email);
    const [row] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`);
    await members.setPaidAccess(app.db, row!.id, { kind: "subscriber", until: new Date("2999-01-01T00:00:00Z") });
    await app.built.invalidator.invalidate([members.memberTag(row!.id)]);
    return cookie;
  }

  test("a subscriber gets their own page, never stored, never the wall; nobody else gets the gated text", async () => {
    const paid = await article({ accessLevel: "paid" });
    for (let i = 0; i < 2; i++) {
      const anonymous = await edge(paid.path);
      expect(await anonymous.text()).not.toContain(paid.secret);
    }
    expect(cacheOf(await edge(paid.path))).toBe("hit");
    const cookie = await subscriber();
    for (let i = 0; i < 2; i++) {
      const own = await edge(paid.path, `${cookie}; _ga=GA1.2.3`);
      expect(cacheOf(own)).toBe("pass");
      expect(own.headers.get("cache-control")).toBe("private, no-cache");
      const html = await own.text();
      expect(html).toContain(paid.secret);
      expect(html).toContain('href="/account"');
    }
    // What the subscriber got was never stored: the next anonymous reader still gets the wall, from the cache.
    const after = await edge(paid.path);
    expect(cacheOf(after)).toBe("hit");
    const html = await after.text();
    expect(html).not.toContain(paid.secret);
    expect(html).not.toContain('href="/account"');
  });

  test("the meter still counts every read and walls a reader after the allowance", async () => {
    let meter: string | undefined;
    for (let i = 0; i < 2; i++) {
      const free = await article({ accessLevel: "registered", isMetered: true });
      const res = await edge(free.path, meter);
      expect(cacheOf(res)).not.toBe("hit");
      expect(await res.text()).toContain(free.secret);
      meter =
        res.headers
          .getSetCookie()
          .find((c) => c.startsWith("bs_meter="))
          ?.split(";")[0] ?? meter;
    }
    const third = await article({ accessLevel: "registered", isMetered: true });
    const walled = await edge(third.path, `${meter}; consent=yes`);
    const html = await walled.text();
    expect(html).not.toContain(third.secret);
    expect(html).toContain("free articles this month");
    // A new visitor still reads it: the walled answer was never shared.
    expect(await (await edge(third.path)).text()).toContain(third.secret);
  });
});

describe("when the origin stops", () => {
  test("cached pages are still served, purged ones from grace", async () => {
    const story = await article({ title: "Storm closes the port" });
    for (const path of [story.path, "/"]) {
      await edge(path);
      expect(cacheOf(await edge(path))).toBe("hit");
    }
    // The front page is marked stale, as an edit would; the origin stops before anyone asks for it again.
    const purge = await fetch(`${varnish.url}/`, { method: "PURGE", headers: { "xkey-softpurge": "home" } });
    expect(purge.status).toBe(200);
    await app.close();
    const kept = await edge(story.path);
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain("Storm closes the port");
    // Until Varnish's probe sees the origin down it tries the origin; from then on the stale copy is served.
    await expect
      .poll(async () => {
        const res = await edge("/");
        return res.status === 200 && (await res.text()).includes("Storm closes the port");
      })
      .toBe(true);
  });
});
