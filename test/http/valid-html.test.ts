/** Every page type is valid HTML with the accessibility rules html-validate checks. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { htmlValidator } from "../support/html-validator.js";

let app: TestApp;

beforeAll(async () => {
  app = await startApp({ template: "demo" });
});
afterAll(async () => app.close());

async function pagePaths(): Promise<string[]> {
  const home = await app.html("/");
  const links = [...home.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!);
  const article = links.find((h) => /^\/(?!section|tag|author)[a-z-]+\/[a-z0-9-]+$/.test(h))!;
  const articleHtml = await app.html(article);
  const tag = [...articleHtml.matchAll(/href="(\/tag\/[^"]+)"/g)].map((m) => m[1]!)[0]!;
  const author = [...articleHtml.matchAll(/href="(\/author\/[^"]+)"/g)].map((m) => m[1]!)[0]!;
  return ["/", links.find((h) => h.startsWith("/section/"))!, article, tag, author, "/about", "/no-such-page"];
}

test("the front page, listings, an article, a static page and the 404 page are valid HTML", async () => {
  const failures: string[] = [];
  for (const path of await pagePaths()) {
    const res = await app.get(path);
    const report = await htmlValidator.validateString(await res.text());
    for (const result of report.results) {
      for (const m of result.messages) failures.push(`${path}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
  }
  expect(failures).toEqual([]);
});
