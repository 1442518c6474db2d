import { defineConfig } from "vitest/config";

// `npm run test:edge`: the site behind a real Varnish. Not part of `npm test`, which needs no Varnish.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    include: ["test/edge/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
    maxWorkers: 1,
  },
});
