import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/** The newsroom app: a static bundle the server sends from /admin; hashed assets, so they are cached for good. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/admin/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1200 },
});
