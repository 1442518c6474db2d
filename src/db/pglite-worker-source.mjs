// The worker's entry when Broadsheet runs from source (vitest, tsx): loads pglite-worker.ts through tsx, since
// neither vitest's transform nor a parent's `--import tsx` reaches a worker thread on Node 20. The build runs
// dist/db/pglite-worker.js directly and never loads this file (tsx is a development dependency).
import { tsImport } from "tsx/esm/api";

await tsImport("./pglite-worker.ts", import.meta.url);
