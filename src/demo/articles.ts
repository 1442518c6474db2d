import { demoArticlesA } from "./articles-a.js";
import { demoArticlesB } from "./articles-b.js";
import type { DemoArticle } from "./demo-types.js";

export const demoArticles: DemoArticle[] = [...demoArticlesA, ...demoArticlesB];
