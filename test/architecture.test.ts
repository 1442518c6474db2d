/**
 * The module boundaries of docs/ARCHITECTURE.md, enforced. A module imports another only through its index.ts,
 * only in the allowed direction, and a few capabilities (env, clock, drivers) live in exactly one place.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** Who may import whom (values and types alike), unless listed under TYPE_ONLY. */
const ALLOWED: Record<string, string[]> = {
  shared: [],
  config: ["shared"],
  // drizzle-kit finds each module's schema.ts itself: db knows no module's tables.
  db: ["shared", "config"],
  cache: ["shared", "db", "config"],
  jobs: ["shared", "db"],
  // Purges (as jobs) and the Varnish configuration; imported by app.ts and main.ts only.
  cdn: ["shared", "config", "db", "jobs"],
  email: ["shared", "db", "config", "jobs"],
  media: ["shared", "db"],
  limits: ["shared", "db"],
  members: ["shared", "db", "email", "config", "limits"],
  billing: ["shared", "db", "email", "members"],
  content: ["shared", "db", "jobs"],
  paywall: ["shared", "db"], // db for counters.ts only; the decisions are pure
  distribution: ["shared", "db", "content", "paywall", "cache"],
  "ghost-api": ["shared", "db", "content", "paywall", "cache", "newsletters"],
  demo: ["shared", "db", "content"],
  newsletters: ["shared", "db", "config", "jobs", "email", "members", "content", "paywall", "limits"],
  newsroom: [
    "shared",
    "db",
    "content",
    "cache",
    "email",
    "media",
    "paywall",
    "billing",
    "members",
    "limits",
    "jobs",
    "newsletters",
  ],
  site: [
    "shared",
    "db",
    "config",
    "content",
    "paywall",
    "cache",
    "distribution",
    "members",
    "email",
    "billing",
    "newsletters",
  ],
  app: ["*"],
  main: ["*"],
};
const TYPE_ONLY: Record<string, string[]> = { paywall: ["content"] };

type Import = { from: string; file: string; target: string; isTypeOnly: boolean };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !/\.test\.tsx?$/.test(entry) ? [path] : [];
  });
}

function moduleOf(file: string): string {
  const rel = relative(SRC, file);
  const first = rel.split("/")[0]!;
  return first.replace(/\.tsx?$/, "");
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const found: Import[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["'](\.[^"']+)["']/gm;
  for (const match of text.matchAll(pattern)) {
    const target = resolve(dirname(file), match[3]!).replace(/\.js$/, "");
    found.push({ from: moduleOf(file), file, target, isTypeOnly: Boolean(match[2]) });
  }
  return found;
}

const ADMIN = fileURLToPath(new URL("../admin/src/", import.meta.url));
const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);

describe("module boundaries", () => {
  test("the newsroom app imports nothing from the server: it knows the server only through /admin/api", () => {
    const reaching = sourceFiles(ADMIN)
      .flatMap(importsOf)
      .filter((i) => !i.target.startsWith(ADMIN.replace(/\/$/, "")))
      .map((i) => `${relative(ADMIN, i.file)} → ${i.target}`);
    expect(reaching).toEqual([]);
  });

  test("modules import only what docs/ARCHITECTURE.md allows", () => {
    const violations = imports.flatMap((imp) => {
      const to = moduleOf(`${imp.target}.ts`);
      if (to === imp.from) return [];
      const allowed = ALLOWED[imp.from];
      if (!allowed) return [`${relative(SRC, imp.file)}: module "${imp.from}" is not in the table`];
      if (allowed.includes("*") || allowed.includes(to)) return [];
      if (imp.isTypeOnly && TYPE_ONLY[imp.from]?.includes(to)) return [];
      return [`${relative(SRC, imp.file)} imports ${to}`];
    });
    expect(violations).toEqual([]);
  });

  test("other modules are reached only through their index.ts", () => {
    const deep = imports.filter((imp) => {
      const to = moduleOf(`${imp.target}.ts`);
      // shared/ is a set of one-concept files (errors, clock, slug, html) with no index on purpose.
      if (to === imp.from || ["config", "app", "main", "shared"].includes(to)) return false;
      return relative(SRC, imp.target) !== `${to}/index`;
    });
    expect(deep.map((imp) => `${relative(SRC, imp.file)} -> ${relative(SRC, imp.target)}`)).toEqual([]);
  });

  test("there are no import cycles between modules", () => {
    const edges = new Map<string, Set<string>>();
    for (const imp of imports) {
      const to = moduleOf(`${imp.target}.ts`);
      if (to !== imp.from && !imp.isTypeOnly) edges.set(imp.from, (edges.get(imp.from) ?? new Set()).add(to));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(" -> "));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });
});

describe("files", () => {
  /** Import cycles between files, type-only imports included: each as a chain of paths relative to `root`. */
  function fileCycles(root: string): string[] {
    const known = new Set(sourceFiles(root).map((f) => f.replace(/\.tsx?$/, "")));
    const edges = new Map<string, string[]>();
    for (const file of sourceFiles(root)) {
      const from = file.replace(/\.tsx?$/, "");
      edges.set(
        from,
        importsOf(file)
          .map((i) => i.target)
          .filter((t) => known.has(t)),
      );
    }
    const cycles: string[] = [];
    const done = new Set<string>();
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next))
          cycles.push([...path.slice(path.indexOf(next)), next].map((p) => relative(root, p)).join(" -> "));
        else if (!done.has(next)) visit(next, [...path, next]);
      }
      done.add(node);
    };
    for (const node of edges.keys()) if (!done.has(node)) visit(node, [node]);
    return cycles;
  }

  test("no file imports itself through others, on the server or in the newsroom app", () => {
    expect(fileCycles(SRC)).toEqual([]);
    expect(fileCycles(ADMIN)).toEqual([]);
  });
});

describe("size", () => {
  const MAX_FILE_LINES = 400;
  const MAX_FUNCTION_LINES = 80;

  /** Every function with a body (declarations, methods, arrows, expressions) longer than the limit, by name. */
  function longFunctions(file: string): string[] {
    const text = readFileSync(file, "utf8");
    const kind = file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
        if (lines > MAX_FUNCTION_LINES) found.push(`${relative(SRC, file)} ${nameOf(node)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }

  /** A function's own name, or the name of what it is assigned to. */
  function nameOf(node: ts.SignatureDeclaration): string {
    if (node.name) return node.name.getText();
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText();
    return `(anonymous, line ${node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1})`;
  }

  test(`no source file is over ${MAX_FILE_LINES} lines, demo data aside`, () => {
    const long = files
      .filter((f) => !relative(SRC, f).startsWith("demo/"))
      .map((f) => ({ file: relative(SRC, f), lines: readFileSync(f, "utf8").trimEnd().split("\n").length }))
      .filter(({ lines }) => lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  test(`no function is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });
});

describe("capabilities with one owner", () => {
  const offenders = (pattern: RegExp, allowed: (rel: string) => boolean) =>
    files
      .map((f) => relative(SRC, f))
      .filter((rel) => !allowed(rel) && pattern.test(readFileSync(join(SRC, rel), "utf8")));

  test("only config.ts reads process.env", () => {
    expect(offenders(/process\.env/, (rel) => rel === "config.ts")).toEqual([]);
  });

  test("only shared/clock.ts reads the wall clock", () => {
    expect(offenders(/new Date\(\)|Date\.now\(\)/, (rel) => rel === "shared/clock.ts")).toEqual([]);
  });

  test("only db/ loads the database drivers", () => {
    expect(offenders(/(from |import\()["'](@electric-sql\/pglite|pg)["']/, (rel) => rel.startsWith("db/"))).toEqual([]);
  });

  test("only billing/stripe-client.ts loads the Stripe SDK", () => {
    expect(offenders(/(from |import\()["']stripe["']/, (rel) => rel === "billing/stripe-client.ts")).toEqual([]);
  });

  test("libraries needed only sometimes are loaded by their first use, never by a static import", () => {
    // Types may be imported; values come from `await import(…)` (or a lazy require) where they are used.
    const staticImport =
      /^\s*import\s+(?!type\s)[^;]*?from\s+["'](sharp|satori|@resvg\/resvg-js|stripe|transliteration|nodemailer|pg|@tryghost\/nql-lang)["']/m;
    expect(offenders(staticImport, () => false)).toEqual([]);
  });

  test("zxcvbn's dictionaries load on the first password check, never at start-up", () => {
    const estimator = "newsroom/accounts/password-estimator.ts";
    expect(offenders(/from ["']@zxcvbn-ts\//, (rel) => rel === estimator)).toEqual([]);
    // Only a dynamic import("./password-estimator.js") reaches it.
    expect(offenders(/from ["'][^"']*password-estimator(\.js)?["']/, () => false)).toEqual([]);
  });
});
