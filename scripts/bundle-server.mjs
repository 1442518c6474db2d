// Bundles the server (src/main.ts and the database thread, src/db/pglite-worker.ts) with esbuild into
// `node scripts/bundle-server.mjs <outdir>` (scripts/build.mjs: dist.next): a start then loads a few dozen files
// instead of about 960 modules. ES modules with code splitting, so an `import()` that defers a library still
// defers it (its code is a chunk loaded on first use). Source maps name the src/ files.
import { build } from "esbuild";

const outdir = process.argv[2];
if (!outdir) throw new Error("usage: node scripts/bundle-server.mjs <outdir>");

// Loaded from node_modules at run time, not bundled: native addons; PGlite, which reads its WebAssembly and
// extension archives beside itself; and the libraries a start defers, which the server loads by name when first
// needed (test/http/start-up-imports.test.ts). Bundled though they name files beside themselves through
// __dirname: pino only for log transports, which the server does not use, and @fastify/swagger only for its
// package.json's name and version, a default of the OpenAPI description's `info`, which newsroom/routes.ts sets.
const EXTERNAL = [
  "@node-rs/argon2",
  "sharp",
  "@resvg/resvg-js",
  "@electric-sql/pglite",
  "satori",
  "stripe",
  "nodemailer",
  "pg",
  "transliteration",
  "@tryghost/nql-lang",
];

// CommonJS packages in the bundle call require() for Node's modules and the external packages.
const REQUIRE_FOR_COMMONJS = [
  'import { createRequire as createRequireForBundle } from "node:module";',
  "const require = createRequireForBundle(import.meta.url);",
].join("\n");

await build({
  entryPoints: {
    main: "src/main.ts",
    "db/pglite-worker": "src/db/pglite-worker.ts",
    // What scripts and benches import from the build: the template's writer and the database, a session cookie.
    "db/index": "src/db/index.ts",
    "members/session-cookie": "src/members/session-cookie.ts",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: EXTERNAL,
  sourcemap: true,
  // The maps name the files in src/, beside which they are read; their text need not be copied in.
  sourcesContent: false,
  jsx: "automatic",
  jsxImportSource: "preact",
  banner: { js: REQUIRE_FOR_COMMONJS },
  logLevel: "warning",
});
