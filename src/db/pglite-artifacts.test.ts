import { expect, test } from "vitest";
import { compiledPgliteModule } from "./pglite-artifacts.js";
import { startPgliteWorker } from "./pglite-in-worker.js";

const exportNames = (module: WebAssembly.Module) => WebAssembly.Module.exports(module).map((e) => e.name);

test("the first database thread compiles PGlite's WebAssembly and hands it back; later threads are given it", async () => {
  // Each test file runs in a fresh module graph: no thread of this one has started yet.
  expect(compiledPgliteModule()).toBeUndefined();
  const first = await startPgliteWorker(undefined);
  try {
    const module = compiledPgliteModule();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(exportNames(module as WebAssembly.Module)).toContain("pgl_system");

    const second = await startPgliteWorker(undefined);
    try {
      const { rows } = await second.client.query("SELECT 41 + 1 AS answer");
      expect(rows).toEqual([{ answer: 42 }]);
      expect(compiledPgliteModule()).toBe(module);
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
});
