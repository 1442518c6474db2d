/** `broadsheet billing:reconcile` and `billing:comp`: an operator's repairs and grants, from the command line. */
import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openDatabase, queryRows } from "../../src/db/index.js";
import { runCli } from "../support/cli.js";
import { copyTemplate } from "../support/db.js";
import { type StripeStandin, startStripeStandin, TEST_SECRET_KEY } from "../support/stripe-standin.js";

const dataDir = await copyTemplate("empty");
let stripe: StripeStandin;
let memberId: string;

beforeAll(async () => {
  stripe = await startStripeStandin({ now: () => new Date() });
  const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`INSERT INTO members (email, name, created_at) VALUES ('reader@example.test', 'Reader', now()) RETURNING id`,
  );
  memberId = row!.id;
  await database.close();
});
afterAll(async () => {
  await stripe.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCli(args, {
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    SEED_DEMO: "false",
    STRIPE_SECRET_KEY: TEST_SECRET_KEY,
    STRIPE_API_URL: stripe.url,
  });

async function paidAccess(): Promise<string | null> {
  const { database } = await openDatabase({ dataDir, databaseUrl: undefined, databasePoolSize: 1 });
  try {
    const [row] = await queryRows<{ paid_access: string | null }>(
      database.db,
      sql`SELECT paid_access FROM members WHERE id = ${memberId}`,
    );
    return row?.paid_access ?? null;
  } finally {
    await database.close();
  }
}

test("reconcile applies a subscription Stripe knows and the database missed", async () => {
  // A checkout completed while its webhooks were lost: only Stripe knows about it.
  const client = new Stripe(TEST_SECRET_KEY, { host: "127.0.0.1", port: new URL(stripe.url).port, protocol: "http" });
  const price = await client.prices.create({ currency: "eur", unit_amount: 499, recurring: { interval: "month" } });
  const session = await client.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: price.id, quantity: 1 }],
    subscription_data: { metadata: { member_id: memberId } },
  });
  stripe.completeCheckout(session.id);
  const run = await cli("billing:reconcile");
  expect(run.output).toContain("read 1 subscriptions from Stripe; applied 1 to members");
  expect(run.code).toBe(0);
  expect(await paidAccess()).toBe("subscriber");
}, 60_000);

test("complimentary access is granted and ended by email address; an unknown address is refused", async () => {
  const unknown = await cli("billing:comp", "nobody@example.test");
  expect(unknown.code).not.toBe(0);
  expect(unknown.output).toContain("No reader has the address nobody@example.test");
  const badDate = await cli("billing:comp", "reader@example.test", "next week");
  expect(badDate.output).toContain("YYYY-MM-DD");
  expect((await cli("billing:comp", "reader@example.test", "2099-12-31")).output).toContain(
    "gave reader@example.test complimentary access until 2099-12-31",
  );
  // Until 2099 is more generous than the subscription reconciled above.
  expect(await paidAccess()).toBe("complimentary");
  expect((await cli("billing:comp-end", "reader@example.test")).code).toBe(0);
  expect(await paidAccess()).toBe("subscriber");
}, 120_000);
