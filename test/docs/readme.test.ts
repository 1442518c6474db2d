import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { renderEnvTable } from "../../src/config.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

test("the README's configuration table is the one generated from src/config.ts", () => {
  const table = /<!-- env-table:start[^>]*-->\n([\s\S]*?)\n<!-- env-table:end -->/.exec(readme)?.[1];
  expect(table).toBe(renderEnvTable());
});

test("the README shows the two commands", () => {
  expect(readme).toContain("npm ci && npm start");
  expect(readme).toContain("npm test");
});

test("every `npm run` command the README names is a script in package.json", () => {
  const { scripts } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    scripts: Record<string, string>;
  };
  const named = [...readme.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]!);
  expect(named).toContain("test:unit");
  expect(named.filter((name) => !(name in scripts))).toEqual([]);
});
