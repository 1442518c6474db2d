import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import { createPageCache } from "../cache/index.js";
import { systemClock } from "../shared/clock.js";
import { CONTENT_API_KEYS_TAG, createContentApiKey, revokeContentApiKey } from "./api-keys.js";
import { createContentApiKeyCheck } from "./key-check.js";

describe.each(databaseKinds())("the Content API key check on %s", (kind) => {
  let testDb: TestDatabase;

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
  });
  afterAll(() => testDb.close());

  const setUp = () => {
    const cache = createPageCache({ enabled: true, maxBytes: 1_000_000, clock: systemClock });
    return { cache, isActive: createContentApiKeyCheck({ db: testDb.database.db, cache }) };
  };

  test("asks the database once per cache generation: a revocation counts from the invalidation that announces it", async () => {
    const { cache, isActive } = setUp();
    const key = await createContentApiKey(testDb.database.db, "app");
    expect(await isActive(key.key)).toBe(true);
    // Revoked in the database only: until the announcement, the answer of this generation stands.
    await revokeContentApiKey(testDb.database.db, key.id);
    expect(await isActive(key.key)).toBe(true);
    cache.invalidate([CONTENT_API_KEYS_TAG]);
    expect(await isActive(key.key)).toBe(false);
  });

  test("an unknown key is remembered as unknown for the generation, and found once announced", async () => {
    const { cache, isActive } = setUp();
    const key = await createContentApiKey(testDb.database.db, "app");
    await revokeContentApiKey(testDb.database.db, key.id);
    expect(await isActive(key.key)).toBe(false);
    await testDb.database.exec(`UPDATE content_api_keys SET revoked_at = NULL WHERE id = '${key.id}'`);
    expect(await isActive(key.key)).toBe(false);
    cache.invalidate([CONTENT_API_KEYS_TAG]);
    expect(await isActive(key.key)).toBe(true);
  });

  test("made-up keys are refused, and however many come, they do not push a real key out", async () => {
    const { isActive } = setUp();
    const key = await createContentApiKey(testDb.database.db, "app");
    expect(await isActive(key.key)).toBe(true);
    expect(await isActive("' OR 1=1 --")).toBe(false);
    for (let i = 0; i < 1_100; i++) expect(await isActive(i.toString(16).padStart(26, "0"))).toBe(false);
    await revokeContentApiKey(testDb.database.db, key.id);
    // Still this generation's answer: the 1,100 unknown keys did not evict it.
    expect(await isActive(key.key)).toBe(true);
  });
});
