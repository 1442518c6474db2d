import { expect, test } from "vitest";
import { safeNextPath } from "./next-path.js";

test("paths on this site are kept, with their query", () => {
  expect(safeNextPath("/politics/budget-passes")).toBe("/politics/budget-passes");
  expect(safeNextPath("/search?q=ferry")).toBe("/search?q=ferry");
});

test("anything a browser could read as another site is dropped", () => {
  for (const next of [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "",
    undefined,
  ]) {
    expect(safeNextPath(next), JSON.stringify(next)).toBeUndefined();
  }
});
