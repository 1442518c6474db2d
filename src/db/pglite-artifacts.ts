/**
 * PGlite's server WebAssembly (`pglite.wasm`), compiled once per process and handed to every database thread it
 * starts (a `WebAssembly.Module` crosses threads without being compiled again, and its compiled code is shared).
 * The first thread compiles it itself and hands it back, so a server's one database thread starts at once,
 * compiling on its own core while the main thread loads the app, instead of waiting for the main thread to
 * compile it first. Threads started after that are given it. (`initdb.wasm`, 0.3 MB, is needed only to create a
 * cluster, which the template spares almost every start: PGlite compiles it itself when it must.)
 */

let compiled: WebAssembly.Module | undefined;

/** The module some thread of this process already compiled, if any. */
export function compiledPgliteModule(): WebAssembly.Module | undefined {
  return compiled;
}

/** Kept for the threads started later; the first module kept stays (all are the same code). */
export function keepPgliteModule(module: WebAssembly.Module): void {
  compiled ??= module;
}
