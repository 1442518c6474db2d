import { expect, test } from "vitest";
import { watchEventLoopLag } from "./event-loop-lag.js";

const waitMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a loop held up for longer than the limit reads as lagging, and as calm again once it runs freely", async () => {
  const watch = watchEventLoopLag({ maxLagMs: 50, sampleMs: 20 });
  try {
    // Held for 200 ms by synchronous work: far past the limit however busy the machine is.
    const until = performance.now() + 200;
    while (performance.now() < until) {}
    await expect.poll(() => watch.isLagging(), { interval: 5, timeout: 1000 }).toBe(true);
    expect(watch.lagMs()).toBeGreaterThan(50);
    await expect.poll(() => watch.isLagging(), { interval: 20, timeout: 5000 }).toBe(false);
  } finally {
    watch.stop();
  }
});

test("a loop left alone does not read as lagging", async () => {
  const watch = watchEventLoopLag({ maxLagMs: 500, sampleMs: 20 });
  await waitMs(100);
  expect(watch.isLagging()).toBe(false);
  watch.stop();
});
