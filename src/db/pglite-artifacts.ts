/**
 * PGlite's WebAssembly, compiled once per process and handed to every database thread it starts (a
 * `WebAssembly.Module` crosses to a worker thread without being compiled again, and its compiled code is shared).
 * Each thread would otherwise compile it itself: a third of a database's start, on every start. The file-system
 * bundle (pglite.data) is left to each thread: reading it is quick, and keeping it would hold 6 MB for good.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

export type PgliteArtifacts = {
  pgliteWasmModule: WebAssembly.Module;
  /** Used only when the thread creates a cluster (no template to copy). */
  initdbWasmModule: WebAssembly.Module;
};

const require = createRequire(import.meta.url);

let loading: Promise<PgliteArtifacts> | undefined;

async function compile(file: string): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(require.resolve(`@electric-sql/pglite/${file}`)));
}

async function load(): Promise<PgliteArtifacts> {
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([compile("pglite.wasm"), compile("initdb.wasm")]);
  return { pgliteWasmModule, initdbWasmModule };
}

/** The same modules for every caller in this process; a failed load is tried again by the next caller. */
export function loadPgliteArtifacts(): Promise<PgliteArtifacts> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}
