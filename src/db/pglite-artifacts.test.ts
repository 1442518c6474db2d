import { expect, test } from "vitest";
import { loadPgliteArtifacts } from "./pglite-artifacts.js";

const exportNames = (module: WebAssembly.Module) => WebAssembly.Module.exports(module).map((e) => e.name);

test("PGlite's WebAssembly is compiled once per process: every caller gets the same modules", async () => {
  const [first, second] = await Promise.all([loadPgliteArtifacts(), loadPgliteArtifacts()]);
  const later = await loadPgliteArtifacts();
  expect(second).toBe(first);
  expect(later).toBe(first);
  expect(later.pgliteWasmModule).toBe(first.pgliteWasmModule);
});

test("the modules are PGlite's own: the server and initdb", async () => {
  const { pgliteWasmModule, initdbWasmModule } = await loadPgliteArtifacts();
  expect(exportNames(pgliteWasmModule)).toContain("pgl_system");
  expect(exportNames(initdbWasmModule)).toContain("pgl_popen");
});
