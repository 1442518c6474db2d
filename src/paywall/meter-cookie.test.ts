import { expect, test } from "vitest";
import { countRead, readMeterCookie, tallyOf } from "./meter-cookie.js";
import { meterPeriod } from "./meter-period.js";

const secret = "a-secret-of-enough-length-for-tests";
const june = meterPeriod(new Date("2031-06-15T12:00:00Z"), "UTC");
const july = meterPeriod(new Date("2031-07-02T12:00:00Z"), "UTC");
const a = "0f8fad5b-d9cb-469f-a165-70867728950e";
const b = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

test("a meter counts articles in a signed cookie and resets with the month", () => {
  const first = countRead(readMeterCookie(undefined, secret), june, a, secret);
  const second = countRead(readMeterCookie(first, secret), june, b, secret);
  const state = readMeterCookie(second, secret);
  expect(tallyOf(state, june, a, 3)).toMatchObject({ used: 2, alreadyCounted: true });
  expect(tallyOf(state, june, "11111111-2222-4333-8444-555555555555", 3)).toMatchObject({
    used: 2,
    alreadyCounted: false,
  });
  expect(tallyOf(state, july, a, 3)).toMatchObject({ used: 0, alreadyCounted: false, renewsOn: "2031-08-01" });
});

test("an edited, unsigned or foreign cookie is a used-up meter, not a fresh one", () => {
  const value = countRead(readMeterCookie(undefined, secret), june, a, secret);
  const [payload, mac] = value.split(".");
  const edited = `${payload!.replace(/~.*/, "")}.${mac}`;
  for (const forged of [edited, payload!, `${payload}.AAAA`, countRead({ kind: "fresh" }, june, a, "other-secret")]) {
    expect(tallyOf(readMeterCookie(forged, secret), june, b, 3).used).toBe(Number.POSITIVE_INFINITY);
  }
});

test("the meter's month follows the site's time zone", () => {
  const newYearsEveUtc = new Date("2031-12-31T22:30:00Z");
  expect(meterPeriod(newYearsEveUtc, "UTC")).toEqual({ month: "2031-12", renewsOn: "2032-01-01" });
  expect(meterPeriod(newYearsEveUtc, "Europe/Istanbul")).toEqual({ month: "2032-01", renewsOn: "2032-02-01" });
});

test("the month turns on its first minute, whichever moments were asked before", () => {
  const lastSecondOfJune = new Date("2031-06-30T23:59:59.999Z");
  const firstOfJuly = new Date("2031-07-01T00:00:00Z");
  expect(meterPeriod(lastSecondOfJune, "UTC").month).toBe("2031-06");
  expect(meterPeriod(firstOfJuly, "UTC").month).toBe("2031-07");
  expect(meterPeriod(lastSecondOfJune, "UTC").month).toBe("2031-06");
  // Kathmandu is 5:45 ahead: its July starts at 18:15 UTC on 30 June.
  expect(meterPeriod(new Date("2031-06-30T18:14:59Z"), "Asia/Kathmandu").month).toBe("2031-06");
  expect(meterPeriod(new Date("2031-06-30T18:15:00Z"), "Asia/Kathmandu").month).toBe("2031-07");
});
