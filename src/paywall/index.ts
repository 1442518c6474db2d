export type { AccessOutcome, ArticleAccess, Ask, Reader } from "./decide-access.js";
export { decideAccess, outcomeKey } from "./decide-access.js";
