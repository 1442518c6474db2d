import { sql } from "drizzle-orm";
import { stdSerializers } from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { withoutQueryValues } from "./query-values.js";

describe.each(databaseKinds())("a failed query's error on %s", (kind) => {
  let opened: TestDatabase;
  beforeAll(async () => {
    opened = await openTestDatabase(kind);
  });
  afterAll(() => opened.close());

  const SECRET = "reader-7f3a@example.test";
  const failedQuery = async () => {
    try {
      await opened.database.db.execute(sql`SELECT ${SECRET} AS email FROM no_such_table`);
    } catch (err) {
      return err;
    }
    throw new Error("the query did not fail");
  };

  test("carries the query's values as it is thrown, which is why the log needs it scrubbed", async () => {
    expect(JSON.stringify(stdSerializers.err((await failedQuery()) as Error))).toContain(SECRET);
  });

  test("is logged with its class, query, cause and stack, and without the values", async () => {
    const err = await failedQuery();
    const logged = JSON.stringify(stdSerializers.err(withoutQueryValues(err) as Error));
    expect(logged).not.toContain(SECRET);
    expect(logged).toContain("Failed query: SELECT $1 AS email FROM no_such_table");
    expect(logged).toContain("params: (not logged)");
    expect(logged).toContain("no_such_table");
    expect(logged).toContain('"type":"DrizzleQueryError"');
    expect(logged).toMatch(/ {4}at /);
    // The thrown error itself is left as it was.
    expect((err as { params: unknown[] }).params).toEqual([SECRET]);
  });
});

test("errors without query values are logged as they are", () => {
  const plain = new Error("disk full");
  expect(withoutQueryValues(plain)).toBe(plain);
  expect(withoutQueryValues("a string")).toBe("a string");
  expect(withoutQueryValues(undefined)).toBeUndefined();
});
