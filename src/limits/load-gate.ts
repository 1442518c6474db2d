/**
 * Load shedding for one class of uncached work (searches, pages, Content API reads): at most `maxActive` pieces
 * run at once and `maxQueued` wait their turn. Beyond that, or while the event loop lags, new work is refused at
 * once rather than left to wait behind work the server cannot finish in time.
 */
import { Overloaded } from "../shared/errors.js";

export type GateLimits = { maxActive: number; maxQueued: number };

/** A place in the gate: `ready` once it may start (rejects if it left the queue first); `leave` when done. */
export type Turn = { ready: Promise<void>; leave(): void };

export type LoadGate = {
  /** Throws Overloaded at once when the gate is full or the event loop lags. */
  enter(): Turn;
  /** Whether `enter` would throw now. */
  isRefusing(): boolean;
  stats(): { active: number; queued: number; refused: number };
};

/** What a refused client is told to wait before asking again, in seconds. */
export const SHED_RETRY_AFTER_SECONDS = 5;

export const BUSY = "The site is very busy right now. Please try again in a few seconds.";

const overloaded = () => new Overloaded("SERVER_BUSY", BUSY, { retryAfterSeconds: SHED_RETRY_AFTER_SECONDS });

const started: Promise<void> = Promise.resolve();

export function createLoadGate(limits: GateLimits & { isLagging: () => boolean }): LoadGate {
  let active = 0;
  let refused = 0;
  const queue: { start(): void }[] = [];
  const startNext = () => {
    while (active < limits.maxActive && queue.length > 0) queue.shift()?.start();
  };
  const isRefusing = () => (active >= limits.maxActive && queue.length >= limits.maxQueued) || limits.isLagging();
  return {
    isRefusing,
    enter() {
      if (isRefusing()) {
        refused++;
        throw overloaded();
      }
      let state: "queued" | "active" | "left" = "active";
      const leaveActive = () => {
        state = "left";
        active--;
        startNext();
      };
      if (active < limits.maxActive) {
        active++;
        return { ready: started, leave: () => state === "active" && leaveActive() };
      }
      state = "queued";
      let start = () => {};
      let withdraw = (_err: Error) => {};
      const ready = new Promise<void>((resolve, reject) => {
        start = resolve;
        withdraw = reject;
      });
      // Rejected when the client goes away while queued; whoever awaits it still sees the rejection.
      ready.catch(() => {});
      const place = {
        start() {
          state = "active";
          active++;
          start();
        },
      };
      queue.push(place);
      return {
        ready,
        leave() {
          if (state === "active") leaveActive();
          else if (state === "queued") {
            state = "left";
            queue.splice(queue.indexOf(place), 1);
            withdraw(overloaded());
          }
        },
      };
    },
    stats() {
      return { active, queued: queue.length, refused };
    },
  };
}
