/**
 * The server killed in the middle of applying a webhook: nothing of the half-done delivery stays, and Stripe's
 * retry applies it exactly once. PostgreSQL only: the test holds the member's billing lock from its own
 * connection so the webhook's transaction stops half-way, exactly where the kill must land.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import pg from "pg";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { copyTemplate, createPostgresDatabase, testDatabaseUrl } from "../support/db.js";
import { isReady, type Spawned, servingAt, spawnServer, waitFor } from "../support/processes.js";
import { type StripeStandin, startStripeStandin, TEST_SECRET_KEY } from "../support/stripe-standin.js";

describe.runIf(testDatabaseUrl())("a webhook interrupted by a crash", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  let stripe: StripeStandin;
  let dataDir: string;
  const servers: Spawned[] = [];

  beforeAll(async () => {
    dataDir = await copyTemplate("empty");
    database = await createPostgresDatabase();
    stripe = await startStripeStandin({ now: () => new Date() });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGKILL");
    await client?.end();
    await stripe?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ server: Spawned; url: string }> {
    const server = spawnServer({
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      SEED_DEMO: "false",
      SESSION_SECRET: randomBytes(24).toString("hex"),
      ...stripe.env,
    });
    servers.push(server);
    const url = await servingAt(server, 120_000);
    expect(await isReady(url)).toBe(true);
    return { server, url };
  }

  test("the half-applied delivery leaves nothing, and the retry applies it once", async () => {
    const first = await start();
    const { rows } = await client.query<{ id: string }>(
      "INSERT INTO members (email, created_at) VALUES ('crash@example.test', now()) RETURNING id",
    );
    const memberId = rows[0]!.id;
    // A completed checkout for the member, as the app would have started it.
    const sdk = new Stripe(TEST_SECRET_KEY, { host: "127.0.0.1", port: new URL(stripe.url).port, protocol: "http" });
    const price = await sdk.prices.create({ currency: "eur", unit_amount: 499, recurring: { interval: "month" } });
    const session = await sdk.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      subscription_data: { metadata: { member_id: memberId } },
    });
    const event = stripe.completeCheckout(session.id).events[1]!;

    await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [`billing:${memberId}`]);
    const delivery = stripe.deliver(first.url, event).catch(() => "connection lost");
    await waitFor("the webhook to wait on the billing lock", async () => {
      const waiting = await client.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      return (waiting.rowCount ?? 0) > 0;
    });
    first.server.child.kill("SIGKILL");
    expect(await delivery).toBe("connection lost");
    await first.server.exited;
    await client.query("SELECT pg_advisory_unlock_all()");

    const count = async (q: string) => Number((await client.query(q, [])).rows[0]?.n);
    expect(await count(`SELECT count(*) AS n FROM stripe_events WHERE id = '${event.id}'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM subscriptions WHERE member_id = '${memberId}'`)).toBe(0);

    const second = await start();
    const retried = await stripe.deliver(second.url, event);
    expect(await retried.json()).toEqual({ received: true, result: "applied" });
    const again = await stripe.deliver(second.url, event);
    expect(await again.json()).toEqual({ received: true, result: "duplicate" });
    expect(await count(`SELECT count(*) AS n FROM stripe_events WHERE id = '${event.id}'`)).toBe(1);
    const member = await client.query("SELECT paid_access FROM members WHERE id = $1", [memberId]);
    expect(member.rows[0]?.paid_access).toBe("subscriber");
  }, 300_000);
});
