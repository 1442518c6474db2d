/**
 * How far the event loop is behind: every `sampleMs`, the mean delay of Node's own timer samples in that interval
 * (so one long task alone does not count, a loop kept busy does) or, when the loop was held the whole interval and
 * took no sample, how late the sampling itself ran.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";

export type LagWatch = { isLagging(): boolean; lagMs(): number; stop(): void };

const RESOLUTION_MS = 10;

export function watchEventLoopLag(options: { maxLagMs: number; sampleMs: number }): LagWatch {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let lag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - options.sampleMs;
    last = now;
    // Each timer sample waits `resolution` on purpose: only the rest is delay.
    lag = Math.max(0, histogram.count > 0 ? histogram.mean / 1e6 - RESOLUTION_MS : late);
    histogram.reset();
  }, options.sampleMs);
  timer.unref();
  return {
    isLagging: () => lag > options.maxLagMs,
    lagMs: () => lag,
    stop() {
      clearInterval(timer);
      histogram.disable();
    },
  };
}
