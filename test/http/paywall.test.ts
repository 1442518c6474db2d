/**
 * The paywall over HTTP: every kind of reader against every kind of article, the meter in its cookie and on the
 * server, and the page cache under interleaved readers. Allowances are small (anonymous 2, registered 3) so that
 * using one up takes few requests.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as content from "../../src/content/index.js";
import { queryRows } from "../../src/db/index.js";
import * as members from "../../src/members/index.js";
import * as paywall from "../../src/paywall/index.js";
import { fixedClock } from "../../src/shared/clock.js";
import { startApp, type TestApp } from "../support/app.js";
import { sessionCookieOf, signIn } from "../support/members.js";
import { signedInStaff } from "../support/newsroom.js";
import { startSmtpServer, type TestSmtp } from "../support/smtp.js";

let smtp: TestSmtp;
let app: TestApp;
const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
let n = 0;
const unique = () => ++n;

beforeAll(async () => {
  smtp = await startSmtpServer();
  app = await startApp({ template: "empty", clock, env: { SMTP_URL: smtp.url } });
  await app.make.settings();
  await content.updatePaywallSettings(app.db, { anonymousAllowance: 2, registeredAllowance: 3 });
  await app.built.invalidator.invalidate(["site"]);
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

type Level = "public" | "registered+metered" | "registered" | "paid" | "paid+metered";
const LEVELS: Level[] = ["public", "registered+metered", "registered", "paid", "paid+metered"];

/** An article whose gated part holds a sentence found nowhere else. */
async function gatedArticle(level: Level) {
  const [accessLevel, metered] = level.split("+") as [content.AccessLevel, string | undefined];
  const secret = `Gated sentence number ${unique()} about the harbour contract.`;
  const article = await app.make.article({
    accessLevel,
    isMetered: metered === "metered",
    paragraphs: ["The preview paragraph anyone may read.", secret],
    previewAfter: 1,
  });
  return { path: `/${article.section.slug}/${article.slug}`, secret, id: article.id };
}

type Seen = "full" | "full, metered" | "wall: register" | "wall: subscribe" | "wall: used up";

async function see(path: string, secret: string, cookie: string | undefined): Promise<Seen> {
  const res = await app.get(path, cookie ? { headers: { cookie } } : {});
  expect(res.status).toBe(200);
  const html = await res.text();
  const hasSecret = html.includes(secret);
  const hasWall = html.includes('class="paywall"');
  // Exactly one of the two: the whole text, or the preview with a call to action.
  expect(hasSecret).not.toBe(hasWall);
  if (hasSecret) return html.includes('class="meter-banner"') ? "full, metered" : "full";
  if (html.includes("free articles this month")) return "wall: used up";
  return html.includes("Register to keep reading") ? "wall: register" : "wall: subscribe";
}

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(";")[0];

/** Reads `count` fresh metered articles with the given cookies, returning the meter cookie it ends with. */
async function useMeter(count: number, cookie: string | undefined): Promise<string | undefined> {
  let meter: string | undefined;
  for (let i = 0; i < count; i++) {
    const filler = await gatedArticle("paid+metered");
    const cookies = [cookie, meter].filter(Boolean).join("; ");
    const res = await app.get(filler.path, cookies ? { headers: { cookie: cookies } } : {});
    expect(await res.text()).toContain(filler.secret);
    meter = cookieOf(res, "bs_meter") ?? meter;
  }
  return meter;
}

async function memberWith(access: members.PaidAccess | null): Promise<string> {
  const email = `reader${unique()}@example.test`;
  const cookie = await signIn(app, smtp, email);
  if (access) {
    const [row] = await queryRows<{ id: string }>(app.db, sql`SELECT id FROM members WHERE email = ${email}`);
    await members.setPaidAccess(app.db, row!.id, access);
    await app.built.invalidator.invalidate([members.memberTag(row!.id)]);
  }
  return cookie;
}

describe("who reads what", () => {
  const inAWeek = () => new Date(clock.now().getTime() + 7 * 86_400_000);
  const paying: Record<Level, Seen> = {
    public: "full",
    "registered+metered": "full",
    registered: "full",
    paid: "full",
    "paid+metered": "full",
  };
  const registered: Omit<Record<Level, Seen>, "paid+metered"> = {
    public: "full",
    "registered+metered": "full",
    registered: "full",
    paid: "wall: subscribe",
  };
  const usedUp: Record<Level, Seen> = {
    public: "full",
    "registered+metered": "wall: used up",
    registered: "wall: register",
    paid: "wall: subscribe",
    "paid+metered": "wall: used up",
  };
  // Each reader type is a test of its own (a row of the table), so a busy machine's slow row is not charged to
  // the others; every row makes its own reader and articles.
  const rows: { reader: string; cookie: () => Promise<string | undefined>; sees: Record<Level, Seen> }[] = [
    {
      reader: "anonymous, fresh",
      cookie: async () => undefined,
      sees: {
        public: "full",
        "registered+metered": "full, metered",
        registered: "wall: register",
        paid: "wall: subscribe",
        "paid+metered": "full, metered",
      },
    },
    { reader: "anonymous, used up", cookie: () => useMeter(2, undefined), sees: usedUp },
    { reader: "anonymous, tampered meter", cookie: async () => `bs_meter=2031-05.${"A".repeat(43)}`, sees: usedUp },
    {
      reader: "registered, under allowance",
      cookie: () => memberWith(null),
      sees: { ...registered, "paid+metered": "full, metered" },
    },
    {
      reader: "registered, over allowance",
      cookie: async () => {
        const cookie = await memberWith(null);
        await useMeter(3, cookie);
        return cookie;
      },
      sees: { ...registered, "paid+metered": "wall: used up" },
    },
    { reader: "subscriber", cookie: () => memberWith({ kind: "subscriber", until: inAWeek() }), sees: paying },
    {
      // Billing's verdict for a past-due subscription still in its grace period: paid access until grace ends.
      reader: "past due, in grace",
      cookie: () => memberWith({ kind: "subscriber", until: new Date(clock.now().getTime() + 86_400_000) }),
      sees: paying,
    },
    {
      reader: "cancelled, period over",
      cookie: () => memberWith({ kind: "subscriber", until: new Date(clock.now().getTime() - 7 * 86_400_000) }),
      sees: { ...registered, "paid+metered": "full, metered" },
    },
    { reader: "complimentary", cookie: () => memberWith({ kind: "complimentary", until: null }), sees: paying },
    { reader: "staff (an editor)", cookie: async () => (await signedInStaff(app, "editor")).cookie, sees: paying },
  ];

  test.each(rows)("a reader $reader gets their outcome and call to action on every article level", async (row) => {
    const cookie = await row.cookie();
    // The reader's five articles at once: at most two are metered, within every allowance left, so no read
    // changes what another shows.
    const seen = await Promise.all(
      LEVELS.map(async (level) => {
        const article = await gatedArticle(level);
        return [level, await see(article.path, article.secret, cookie)] as const;
      }),
    );
    expect(Object.fromEntries(seen)).toEqual(row.sees);
  });
});

describe("the meter", () => {
  test("an anonymous reader reads the allowance, re-reads free, then meets the wall with its renewal date", async () => {
    const [first, second, third] = [
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
    ];
    const one = await app.get(first!.path);
    const html = await one.text();
    expect(html).toContain("You have 1 free article left this month.");
    expect(one.headers.get("cache-control")).toBe("private, no-cache");
    let meter = cookieOf(one, "bs_meter")!;
    expect(meter).toBeDefined();
    const two = await app.get(second!.path, { headers: { cookie: meter } });
    expect(await two.text()).toContain("This is your last free article this month.");
    meter = cookieOf(two, "bs_meter")!;
    const again = await app.get(first!.path, { headers: { cookie: meter } });
    expect(await again.text()).toContain(first!.secret);
    expect(cookieOf(again, "bs_meter")).toBeUndefined();
    const walled = await (await app.get(third!.path, { headers: { cookie: meter } })).text();
    expect(walled).toContain("You have read your 2 free articles this month");
    expect(walled).toContain("They renew on 1 June.");
    expect(walled).not.toContain(third!.secret);

    clock.advance(30 * 86_400_000);
    const nextMonth = await (await app.get(third!.path, { headers: { cookie: meter } })).text();
    expect(nextMonth).toContain(third!.secret);
    clock.advance(-30 * 86_400_000);
  });

  test("a member's meter is kept on the server: the same count in another browser", async () => {
    const email = `meter${unique()}@example.test`;
    const laptop = await signIn(app, smtp, email);
    const phone = await signIn(app, smtp, email);
    const [a, b, c, d] = [
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
    ];
    expect(await see(a!.path, a!.secret, laptop)).toBe("full, metered");
    expect(await see(b!.path, b!.secret, phone)).toBe("full, metered");
    expect(await see(a!.path, a!.secret, phone)).toBe("full, metered");
    expect(await see(c!.path, c!.secret, phone)).toBe("full, metered");
    expect(await see(d!.path, d!.secret, laptop)).toBe("wall: used up");
  });

  test("concurrent reads by one member never go past the allowance", async () => {
    const cookie = await memberWith(null);
    const articles = await Promise.all(Array.from({ length: 8 }, () => gatedArticle("paid+metered")));
    const seen = await Promise.all(articles.map((a) => see(a.path, a.secret, cookie)));
    expect(seen.filter((s) => s === "full, metered")).toHaveLength(3);
    expect(seen.filter((s) => s === "wall: used up")).toHaveLength(5);
  });
});

describe("counters", () => {
  test("walls shown and registrations started from a wall are counted by article, cached pages included", async () => {
    const article = await gatedArticle("registered");
    for (let i = 0; i < 3; i++) expect(await see(article.path, article.secret, undefined)).toBe("wall: register");
    await signIn(app, smtp, `counted${unique()}@example.test`, article.path);
    await app.built.paywallCounters.flush();
    const report = await paywall.paywallReport(app.db, "2031-01-01");
    expect(report.find((r) => r.articleId === article.id)).toEqual({
      articleId: article.id,
      wallViews: 3,
      registrations: 1,
      subscriptions: 0,
    });
  });
});

describe("a HEAD request", () => {
  // The moment, the cookies, and the connection's own headers (Node closes it after a HEAD).
  const UNCOMPARED = ["date", "set-cookie", "connection", "keep-alive"];
  /** What a response says about the page: its headers but those above. */
  const headersOf = (res: Response) => {
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!UNCOMPARED.includes(name)) headers[name] = value;
    });
    return headers;
  };
  const head = (path: string, cookie?: string) =>
    app.get(path, { method: "HEAD", ...(cookie ? { headers: { cookie } } : {}) });
  const wallViewsOf = async (articleId: string) => {
    await app.built.paywallCounters.flush();
    const report = await paywall.paywallReport(app.db, "2031-01-01");
    return report.find((r) => r.articleId === articleId)?.wallViews ?? 0;
  };

  test("answers an anonymous reader's metered article as a GET would, and neither sets nor uses up the meter", async () => {
    const [a, b, c] = [
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
      await gatedArticle("paid+metered"),
    ];
    // Without a meter: the GET's status and headers, no body, no meter cookie.
    for (const article of [a!, b!, c!]) {
      const res = await head(article.path);
      expect(res.status).toBe(200);
      expect(cookieOf(res, "bs_meter")).toBeUndefined();
      expect(await res.text()).toBe("");
    }
    // A metered page depends on the reader's cookie, so the front door never answers it, after a HEAD neither.
    expect(app.built.cache.pageAtAddress(a!.path)).toBeUndefined();
    const headA = await head(a!.path);
    const getA = await app.get(a!.path);
    expect(await getA.text()).toContain("You have 1 free article left this month.");
    expect(headersOf(headA)).toEqual(headersOf(getA));
    let meter = cookieOf(getA, "bs_meter")!;
    expect(meter).toBeDefined();

    // With a meter: still nothing counted, so the GETs that follow get the whole allowance (2).
    for (const article of [b!, c!]) {
      const res = await head(article.path, meter);
      expect(res.status).toBe(200);
      expect(cookieOf(res, "bs_meter")).toBeUndefined();
    }
    const getB = await app.get(b!.path, { headers: { cookie: meter } });
    expect(await getB.text()).toContain(b!.secret);
    meter = cookieOf(getB, "bs_meter")!;
    expect(await see(c!.path, c!.secret, meter)).toBe("wall: used up");

    // Past the allowance a HEAD gets the wall's headers, and the wall is not counted as seen.
    const walls = await wallViewsOf(c!.id);
    const headC = await head(c!.path, meter);
    const getC = await app.get(c!.path, { headers: { cookie: meter } });
    await getC.arrayBuffer();
    expect(headersOf(headC)).toEqual(headersOf(getC));
    expect(cookieOf(headC, "bs_meter")).toBeUndefined();
    await head(c!.path, meter);
    expect(await wallViewsOf(c!.id)).toBe(walls + 1);
  });

  test("does not count a member's metered read on the server", async () => {
    const cookie = await memberWith(null);
    const article = await gatedArticle("paid+metered");
    expect((await head(article.path, cookie)).status).toBe(200);
    // Had the HEAD counted it, only two of three other articles would fit the allowance, and it would stay readable.
    await useMeter(3, cookie);
    expect(await see(article.path, article.secret, cookie)).toBe("wall: used up");
  });

  test("counts no wall view, routed or answered by the front door, while GETs there still count", async () => {
    const article = await gatedArticle("paid");
    // Routed (an unrelated cookie keeps the front door away), which leaves the address's answerer at the front
    // door; cookieless, it is answered there.
    const first = await head(article.path, "theme=dark");
    expect(app.built.cache.answererAt(article.path)).toBeDefined();
    const repeat = await head(article.path);
    expect(repeat.status).toBe(200);
    expect(headersOf(repeat)).toEqual(headersOf(first));
    expect(await wallViewsOf(article.id)).toBe(0);

    const get = await app.get(article.path);
    await get.arrayBuffer();
    expect(headersOf(get)).toEqual(headersOf(repeat));
    await head(article.path);
    expect(await wallViewsOf(article.id)).toBe(1);
  });
});

describe("the page cache", () => {
  test("interleaved anonymous, used-up and subscriber requests for one article each get their own variant", async () => {
    const article = await gatedArticle("paid+metered");
    const subscriber = await memberWith({ kind: "subscriber", until: new Date(clock.now().getTime() + 86_400_000) });
    const usedUp = await useMeter(2, undefined);
    const readers = [
      { cookie: subscriber, expect: "full" },
      { cookie: usedUp, expect: "wall: used up" },
      { cookie: `bs_meter=forged.value`, expect: "wall: used up" },
      { cookie: undefined, expect: "full, metered" },
    ] as const;
    const requests = Array.from({ length: 120 }, (_, i) => readers[i % readers.length]!);
    const results = await Promise.all(
      requests.map(async (r) => ({ want: r.expect, got: await see(article.path, article.secret, r.cookie) })),
    );
    expect(results.filter((r) => r.got !== r.want)).toEqual([]);
  });

  test("an address the front door answers anonymous readers from still gives signed-in readers their own page", async () => {
    const article = await gatedArticle("paid");
    const subscriber = await memberWith({ kind: "subscriber", until: new Date(clock.now().getTime() + 86_400_000) });
    const editor = (await signedInStaff(app, "editor")).cookie;
    const registered = await memberWith(null);
    // The first anonymous read is routed and remembered; the rest are answered before any routing.
    for (let i = 0; i < 3; i++) expect(await see(article.path, article.secret, undefined)).toBe("wall: subscribe");
    expect(await see(article.path, article.secret, subscriber)).toBe("full");
    expect(await see(article.path, article.secret, editor)).toBe("full");
    expect(await see(article.path, article.secret, registered)).toBe("wall: subscribe");
    expect(await see(article.path, article.secret, undefined)).toBe("wall: subscribe");
  });

  test("a paid article's wall is shared with every anonymous reader and a CDN, but no meter cookie is set", async () => {
    const article = await gatedArticle("paid");
    const res = await app.get(article.path);
    expect(res.headers.get("cache-control")).toContain("public");
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe("the front door", () => {
  /** Everything a client sees of a response but the moment it was sent. */
  const seen = async (res: Response) => {
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (name !== "date") headers[name] = value;
    });
    return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()).toString("base64") };
  };

  test("decides a read from its meter or fresh session cookie as the routes do, and answers it before routing", async () => {
    const articles = [await gatedArticle("paid+metered"), await gatedArticle("paid"), await gatedArticle("public")];
    const section = `/section/${articles[0]!.path.split("/")[1]}`;
    const paths = [...articles.map((a) => a.path), "/", section];
    const readsLeft = await useMeter(1, undefined);
    const usedUp = await useMeter(2, undefined);
    const stale = await memberWith({ kind: "subscriber", until: new Date(clock.now().getTime() + 86_400_000) });
    // The member changed after the claim was issued: the routes renew it, and the claim renewed a moment after the
    // change is fresh.
    clock.set(new Date(clock.now().getTime() + 1000));
    const subscriber = sessionCookieOf(await app.get("/", { headers: { cookie: stale } }));
    const registered = await memberWith(null);
    if (!readsLeft || !usedUp || !subscriber) throw new Error("a reader's cookie is missing");
    const readers = {
      "no cookie": undefined,
      "reads left": readsLeft,
      "used up": usedUp,
      forged: "bs_meter=forged.value",
      subscriber,
      "subscriber with a meter": `${subscriber}; ${readsLeft}`,
      registered,
    };
    // Which readers the front door decided; the routes never ask for the answerer.
    const decided = new Set<string>();
    const answererAt = app.built.cache.answererAt;
    let reader = "";
    app.built.cache.answererAt = (address) => {
      const answerer = answererAt(address);
      return (
        answerer &&
        ((req) => {
          const answer = answerer(req);
          if (answer) decided.add(`${reader} ${address}`);
          return answer;
        })
      );
    };
    try {
      for (const path of paths) {
        for (const [name, cookie] of Object.entries(readers)) {
          reader = name;
          // An unrelated cookie sends a request to the routes; the first leaves the address's answerer.
          const routedCookie = cookie ? `${cookie}; theme=dark` : "theme=dark";
          const first = await app.get(path, { headers: { cookie: routedCookie } });
          const etag = first.headers.get("etag") ?? "";
          await first.arrayBuffer();
          expect(app.built.cache.answererAt(path), path).toBeDefined();
          const variants: RequestInit[] = [
            { headers: { "accept-encoding": "identity" } },
            { headers: { "accept-encoding": "br" } },
            { method: "HEAD", headers: { "accept-encoding": "gzip" } },
            { headers: { "if-none-match": etag } },
          ];
          for (const variant of variants) {
            const label = `${name} ${variant.method ?? "GET"} ${path} ${JSON.stringify(variant.headers)}`;
            const headers = { ...variant.headers, ...(cookie ? { cookie } : {}) };
            const routed = await seen(
              await app.get(path, { ...variant, headers: { ...headers, cookie: routedCookie } }),
            );
            const answered = await seen(await app.get(path, { ...variant, headers }));
            expect(answered, label).toEqual(routed);
          }
        }
      }
    } finally {
      app.built.cache.answererAt = answererAt;
    }
    // A signed-in member's meter is on the server: only the routes can count it.
    const metered = articles[0]!.path;
    const expected = paths.flatMap((path) => Object.keys(readers).map((name) => `${name} ${path}`));
    expect([...decided].sort()).toEqual(expected.filter((d) => d !== `registered ${metered}`).sort());
  });
});
