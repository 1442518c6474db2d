import { expect, test } from "vitest";
import { databaseUnavailable, isDatabaseUnreachable } from "./unreachable.js";

const withCode = (code: string, extra: object = {}) => Object.assign(new Error(`error ${code}`), { code }, extra);
const drizzleWrapped = (cause: unknown) => new Error("Failed query: select 1\nparams: ", { cause });

test.each([
  { what: "a refused connection", err: withCode("ECONNREFUSED"), unreachable: true },
  { what: "a reset connection", err: withCode("ECONNRESET"), unreachable: true },
  { what: "an unknown host", err: withCode("ENOTFOUND"), unreachable: true },
  { what: "every address refused", err: new AggregateError([withCode("ECONNREFUSED")]), unreachable: true },
  { what: "an administrator's shutdown (57P01)", err: withCode("57P01", { severity: "FATAL" }), unreachable: true },
  { what: "the server starting up (57P03)", err: withCode("57P03"), unreachable: true },
  { what: "too many connections (53300)", err: withCode("53300"), unreachable: true },
  { what: "a connection exception (08006)", err: withCode("08006"), unreachable: true },
  { what: "the database gone (3D000, FATAL)", err: withCode("3D000", { severity: "FATAL" }), unreachable: true },
  { what: "a dropped connection", err: new Error("Connection terminated unexpectedly"), unreachable: true },
  { what: "a pool timeout", err: new Error("timeout exceeded when trying to connect"), unreachable: true },
  { what: "a closed PGlite", err: new Error("PGlite is closed"), unreachable: true },
  { what: "any of these inside Drizzle's error", err: drizzleWrapped(withCode("ECONNREFUSED")), unreachable: true },
  { what: "a unique violation (23505)", err: withCode("23505", { severity: "ERROR" }), unreachable: false },
  { what: "a syntax error (42601)", err: withCode("42601", { severity: "ERROR" }), unreachable: false },
  { what: "a query error inside Drizzle's", err: drizzleWrapped(withCode("42P01")), unreachable: false },
  { what: "a thrown string", err: "ECONNREFUSED", unreachable: false },
  { what: "a plain error", err: new Error("something else"), unreachable: false },
])("$what: unreachable is $unreachable", ({ err, unreachable }) => {
  expect(isDatabaseUnreachable(err)).toBe(unreachable);
});

test("an unreachable database becomes a 503 asking to retry in 5 seconds, the driver's error as its cause", () => {
  const err = withCode("ECONNREFUSED");
  expect(databaseUnavailable(err)).toMatchObject({
    status: 503,
    code: "DATABASE_UNAVAILABLE",
    retryAfterSeconds: 5,
    cause: err,
  });
  expect(databaseUnavailable(new Error("something else"))).toBeUndefined();
});

test("an error whose causes loop is walked once", () => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  Object.assign(a, { cause: b });
  expect(isDatabaseUnreachable(a)).toBe(false);
});
