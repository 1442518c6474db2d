import { describe, expect, test } from "vitest";
import { Overloaded } from "../shared/errors.js";
import { createLoadGate } from "./load-gate.js";

const calm = () => false;

describe("a load gate", () => {
  test("lets maxActive pieces of work run, queues maxQueued, and refuses the next at once", async () => {
    const gate = createLoadGate({ maxActive: 2, maxQueued: 1, isLagging: calm });
    const first = gate.enter();
    const second = gate.enter();
    const third = gate.enter();
    let thirdStarted = false;
    void third.ready.then(() => {
      thirdStarted = true;
    });
    expect(gate.stats()).toEqual({ active: 2, queued: 1, refused: 0 });
    let refusal: unknown;
    try {
      gate.enter();
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(Overloaded);
    expect(refusal).toMatchObject({ status: 503, code: "SERVER_BUSY", retryAfterSeconds: 5 });
    expect(gate.stats().refused).toBe(1);

    await first.ready;
    await second.ready;
    await Promise.resolve();
    expect(thirdStarted).toBe(false);
    first.leave();
    await third.ready;
    expect(thirdStarted).toBe(true);
    expect(gate.stats()).toEqual({ active: 2, queued: 0, refused: 1 });
    second.leave();
    third.leave();
    expect(gate.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  test("leaving twice frees one place only", () => {
    const gate = createLoadGate({ maxActive: 1, maxQueued: 0, isLagging: calm });
    const turn = gate.enter();
    turn.leave();
    turn.leave();
    const next = gate.enter();
    expect(gate.stats().active).toBe(1);
    expect(() => gate.enter()).toThrow(Overloaded);
    next.leave();
  });

  test("work that leaves the queue before its turn never starts, and frees its place in the queue", async () => {
    const gate = createLoadGate({ maxActive: 1, maxQueued: 1, isLagging: calm });
    const running = gate.enter();
    const waiting = gate.enter();
    waiting.leave();
    await expect(waiting.ready).rejects.toBeInstanceOf(Overloaded);
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0 });
    const another = gate.enter();
    running.leave();
    await another.ready;
    expect(gate.stats()).toMatchObject({ active: 1, queued: 0 });
  });

  test("while the event loop lags, new work is refused even with places free", () => {
    let lagging = true;
    const gate = createLoadGate({ maxActive: 4, maxQueued: 4, isLagging: () => lagging });
    expect(() => gate.enter()).toThrow(Overloaded);
    lagging = false;
    expect(() => gate.enter()).not.toThrow();
  });
});
