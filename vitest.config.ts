import { defineConfig } from "vitest/config";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // What a browser waits for can take seconds when the whole suite shares two CPUs.
    expect: { poll: { timeout: 10_000 } },
    pool: "forks",
    globalSetup: ["test/support/global-setup.ts"],
  },
});
