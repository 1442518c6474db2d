import { readdirSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// A test beside the code that uses test/support (a database, the demo data) or opens a database of its own is an
// integration test; the rest of src/'s tests are unit tests: no database, no global setup, seconds for all of them.
const integrationTestsInSrc = readdirSync("src", { recursive: true, encoding: "utf8" })
  .filter((file) => /\.test\.tsx?$/.test(file))
  .map((file) => `src/${file}`)
  .filter((file) => /test\/support\/|openDatabase\(/.test(readFileSync(file, "utf8")));

// Checks of the code itself: no database either.
const sourceChecks = ["test/architecture.test.ts", "test/docs/**/*.test.ts"];

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    // Limits for a hung test, not targets: the suite shares two CPUs with whatever else the machine runs.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // What a browser or a server under test waits for can take seconds when the whole suite shares two CPUs.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    // Vitest's default on two CPUs is one worker at a time. A test file's time goes to its app's database thread,
    // child processes, a browser and waiting on them as much as to its own code: three keep both CPUs busy.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.{ts,tsx}", ...sourceChecks],
          exclude: integrationTestsInSrc,
          // Pure functions and their own fixtures: one worker's module cache serves every file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts", ...integrationTestsInSrc],
          // test/edge needs Varnish: `npm run test:edge` (vitest.edge.config.ts).
          exclude: ["test/browser/**", "test/edge/**", ...sourceChecks],
          globalSetup: ["test/support/global-setup.ts"],
          // Each file starts its own app on its own copy of a template; the modules they load are shared.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts", "test/support/browser-setup.ts"],
          isolate: false,
        },
      },
    ],
  },
});
