/**
 * Coalesces calls that each need one round trip into one round trip for many: the first call runs at once, and
 * the calls made while it runs go together in the next one (at most `maxBatch` at a time). Nothing waits on a
 * timer: an idle caller pays no delay, a busy one shares its round trips.
 */
export function createBatcher<Input, Output>(
  run: (inputs: Input[]) => Promise<Output[]>,
  maxBatch: number,
): (input: Input) => Promise<Output> {
  type Entry = { input: Input; resolve: (output: Output) => void; reject: (err: unknown) => void };
  let waiting: Entry[] = [];
  let isRunning = false;
  async function runWaiting(): Promise<void> {
    isRunning = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      try {
        const outputs = await run(batch.map((entry) => entry.input));
        for (const [i, entry] of batch.entries()) entry.resolve(outputs[i] as Output);
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    isRunning = false;
  }
  return (input) =>
    new Promise<Output>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!isRunning) void runWaiting();
    });
}
