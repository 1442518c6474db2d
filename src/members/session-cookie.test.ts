import { expect, test } from "vitest";
import { readCookie } from "../shared/cookie.js";
import { decodeSession, encodeSession, type Session } from "./session-cookie.js";

const SECRET = "a-test-secret-that-is-long-enough-for-hmac";
const session: Session = {
  sessionId: "5d7c2a10-41f3-4b6e-8a2d-9c0e1f2a3b4c",
  memberId: "0b0e5c1e-7a35-4a8e-9d0b-3f1f6f0c9a11",
  entitlement: "registered",
  issuedAt: 1_900_000_000_000,
  expiresAt: 1_900_003_600_000,
};

test("a cookie we signed reads back as the same claim", () => {
  expect(decodeSession(encodeSession(session, SECRET), SECRET)).toEqual(session);
});

test("a changed claim, a changed signature or another secret reads as no session", () => {
  const value = encodeSession(session, SECRET);
  const [, signature] = value.split(".");
  const forged = Buffer.from(JSON.stringify({ ...session, entitlement: "subscriber" })).toString("base64url");
  expect(decodeSession(`${forged}.${signature}`, SECRET)).toBeUndefined();
  expect(decodeSession(`${value.slice(0, -1)}${value.endsWith("A") ? "B" : "A"}`, SECRET)).toBeUndefined();
  // Read once with the right secret first, so the remembered check is what the other secret meets.
  expect(decodeSession(value, SECRET)).toEqual(session);
  expect(decodeSession(value, `${SECRET}-rotated`)).toBeUndefined();
  expect(decodeSession("not-a-cookie", SECRET)).toBeUndefined();
});

test("a value read again is the claim checked the first time, and cannot be changed by whoever reads it", () => {
  const value = encodeSession({ ...session, sessionId: "00000000-0000-4000-8000-000000000001" }, SECRET);
  const first = decodeSession(value, SECRET);
  expect(decodeSession(value, SECRET)).toBe(first);
  expect(Object.isFrozen(first)).toBe(true);
});

test("a signed value of the wrong shape is refused too", () => {
  const odd = encodeSession({ ...session, entitlement: "owner" } as unknown as Session, SECRET);
  expect(decodeSession(odd, SECRET)).toBeUndefined();
});

test("readCookie finds one cookie among several", () => {
  expect(readCookie("a=1; bs_session=xyz.abc; b=2", "bs_session")).toBe("xyz.abc");
  expect(readCookie("xbs_session=1", "bs_session")).toBeUndefined();
  expect(readCookie(undefined, "bs_session")).toBeUndefined();
});
