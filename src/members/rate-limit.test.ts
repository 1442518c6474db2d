import { expect, test } from "vitest";
import { fixedClock } from "../shared/clock.js";
import { createSignInLimits } from "./rate-limit.js";

test("five links per address in 15 minutes; the sixth waits until the oldest leaves the window", () => {
  const clock = fixedClock(new Date("2031-01-01T12:00:00Z"));
  const { perEmail } = createSignInLimits(clock);
  for (let i = 0; i < 5; i++) {
    expect(perEmail.retryAfter("ann@example.test")).toBe(0);
    perEmail.record("ann@example.test");
    clock.advance(60_000);
  }
  expect(perEmail.retryAfter("ann@example.test")).toBe(10 * 60);
  expect(perEmail.retryAfter("bob@example.test")).toBe(0);
  clock.advance(10 * 60_000);
  expect(perEmail.retryAfter("ann@example.test")).toBe(0);
});
