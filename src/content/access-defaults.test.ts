import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { makers, paragraphsDoc } from "../../test/support/make.js";
import { fixedClock } from "../shared/clock.js";
import {
  createArticle,
  findArticleForReading,
  inheritedAccess,
  publishArticle,
  updatePaywallSettings,
  updateSection,
} from "./index.js";

describe("inheritedAccess", () => {
  test("no rule is public; the stricter rule wins; a hard paywall is not softened by a metered rule", () => {
    expect(inheritedAccess(undefined, null)).toEqual({ accessLevel: "public", isMetered: false });
    expect(
      inheritedAccess({ accessLevel: "paid", isMetered: true }, { accessLevel: "public", isMetered: false }),
    ).toEqual({ accessLevel: "paid", isMetered: true });
    expect(inheritedAccess(undefined, { accessLevel: "registered", isMetered: true })).toEqual({
      accessLevel: "registered",
      isMetered: true,
    });
    expect(
      inheritedAccess({ accessLevel: "paid", isMetered: true }, { accessLevel: "paid", isMetered: false }),
    ).toEqual({ accessLevel: "paid", isMetered: false });
  });
});

describe.each(databaseKinds())("access defaults on %s", (kind) => {
  let testDb: TestDatabase;
  const clock = fixedClock(new Date("2031-03-02T09:00:00Z"));
  let deps: { db: TestDatabase["database"]["db"]; clock: typeof clock };
  let make: ReturnType<typeof makers>;

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
    deps = { db: testDb.database.db, clock };
    make = makers(deps);
  });
  afterAll(async () => testDb.close());

  test("new articles inherit their kind's and section's defaults; the editor's choice overrides both", async () => {
    const section = await make.section();
    const author = await make.author();
    await updatePaywallSettings(deps.db, {
      kindAccessDefaults: { analysis: { accessLevel: "paid", isMetered: true } },
    });
    await updateSection(deps.db, {
      id: section.id,
      name: section.name,
      description: "",
      position: 0,
      accessDefault: { accessLevel: "registered", isMetered: false },
    });
    const create = async (articleKind: "news" | "analysis", accessLevel?: "public") => {
      const { slug, id } = await createArticle(deps, {
        title: `A ${articleKind} piece`,
        kind: articleKind,
        sectionId: section.id,
        authorIds: [author.id],
        body: paragraphsDoc(["One.", "Two."], 1),
        ...(accessLevel ? { accessLevel, isMetered: false } : {}),
      });
      await publishArticle(deps, { id });
      const article = await findArticleForReading(deps.db, slug);
      return { accessLevel: article?.accessLevel, isMetered: article?.isMetered };
    };
    expect(await create("news")).toEqual({ accessLevel: "registered", isMetered: false });
    expect(await create("analysis")).toEqual({ accessLevel: "paid", isMetered: true });
    expect(await create("analysis", "public")).toEqual({ accessLevel: "public", isMetered: false });
  });

  test("allowances outside 0 to 50 are refused and nothing is changed", async () => {
    await expect(updatePaywallSettings(deps.db, { anonymousAllowance: 3, registeredAllowance: 51 })).rejects.toThrow(
      /0 to 50/,
    );
    await expect(updatePaywallSettings(deps.db, { anonymousAllowance: -1 })).rejects.toThrow(/0 to 50/);
  });
});
