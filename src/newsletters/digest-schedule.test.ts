import { describe, expect, test } from "vitest";
import { instantOf, latestDigestDue } from "./digest-schedule.js";

const daily = { cadence: "daily", sendHour: 7, sendWeekday: null };
// 2031-05-09 is a Friday.
const weeklyFriday = { cadence: "weekly", sendHour: 16, sendWeekday: 5 };

describe("latestDigestDue", () => {
  test("a daily digest is due from its hour in the site's time zone, and yesterday's before it", () => {
    // 07:00 in Berlin (summer, UTC+2) is 05:00 UTC.
    expect(latestDigestDue(daily, new Date("2031-05-06T04:59:59Z"), "Europe/Berlin")).toEqual({
      period: "2031-05-05",
      dueAt: new Date("2031-05-05T05:00:00Z"),
    });
    expect(latestDigestDue(daily, new Date("2031-05-06T05:00:00Z"), "Europe/Berlin")).toEqual({
      period: "2031-05-06",
      dueAt: new Date("2031-05-06T05:00:00Z"),
    });
    // In UTC the same instant is still before 07:00.
    expect(latestDigestDue(daily, new Date("2031-05-06T05:00:00Z"), "UTC")?.period).toBe("2031-05-05");
  });

  test("a weekly digest is due on its weekday at its hour, and the week before until then", () => {
    expect(latestDigestDue(weeklyFriday, new Date("2031-05-09T15:59:00Z"), "UTC")?.period).toBe("2031-05-02");
    expect(latestDigestDue(weeklyFriday, new Date("2031-05-09T16:00:00Z"), "UTC")?.period).toBe("2031-05-09");
    expect(latestDigestDue(weeklyFriday, new Date("2031-05-14T09:00:00Z"), "UTC")?.period).toBe("2031-05-09");
  });

  test("a local day ahead of UTC's counts: Friday 08:00 in Tokyo is Thursday in UTC", () => {
    const friday8 = { cadence: "weekly", sendHour: 8, sendWeekday: 5 };
    const due = latestDigestDue(friday8, new Date("2031-05-08T23:30:00Z"), "Asia/Tokyo");
    expect(due).toEqual({ period: "2031-05-09", dueAt: new Date("2031-05-08T23:00:00Z") });
  });

  test("manual and per-article newsletters, and those without an hour, have no digests", () => {
    const now = new Date("2031-05-06T12:00:00Z");
    expect(latestDigestDue({ cadence: "manual", sendHour: 7, sendWeekday: null }, now, "UTC")).toBeUndefined();
    expect(latestDigestDue({ cadence: "per-article", sendHour: 7, sendWeekday: null }, now, "UTC")).toBeUndefined();
    expect(latestDigestDue({ cadence: "daily", sendHour: null, sendWeekday: null }, now, "UTC")).toBeUndefined();
    expect(latestDigestDue({ cadence: "weekly", sendHour: 7, sendWeekday: null }, now, "UTC")).toBeUndefined();
  });
});

describe("instantOf", () => {
  test("follows the zone's clock changes", () => {
    expect(instantOf("2031-01-15", 7, "Europe/Berlin")).toEqual(new Date("2031-01-15T06:00:00Z"));
    expect(instantOf("2031-07-15", 7, "Europe/Berlin")).toEqual(new Date("2031-07-15T05:00:00Z"));
    expect(instantOf("2031-07-15", 7, "America/New_York")).toEqual(new Date("2031-07-15T11:00:00Z"));
  });
});
