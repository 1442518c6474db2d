import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../../test/support/db.js";
import type { Db } from "../db/index.js";
import { fixedClock } from "../shared/clock.js";
import { createMemberChanges } from "./entitlements.js";
import type { Member } from "./queries.js";
import { members } from "./schema.js";
import { CLAIM_LIFETIME_MS, RENEWAL_WINDOW_MS } from "./session-cookie.js";
import {
  endSession,
  findSignedInMember,
  openSession,
  readSession,
  type SessionDeps,
  signOutEverywhere,
} from "./sessions.js";

const DAY = 86_400_000;
const cookieOf = (setCookie: string) => setCookie.split(";")[0]!;
/** A database that fails the test if it is asked anything. */
const noDatabase = new Proxy({} as Db, {
  get() {
    throw new Error("the database was queried");
  },
});

describe.each(databaseKinds())("sessions on %s", (kind) => {
  let testDb: TestDatabase;
  const clock = fixedClock(new Date("2031-05-06T10:00:00Z"));
  let n = 0;

  /** One process's view of sessions; `invalidate` reaches only this process's change log. */
  function processDeps(): SessionDeps {
    const memberChanges = createMemberChanges(CLAIM_LIFETIME_MS);
    return {
      db: testDb.database.db,
      clock,
      sessionSecret: "a-test-secret-that-is-long-enough-for-hmac",
      publicUrl: "http://localhost:3000",
      memberChanges,
      invalidate: async (tags) => memberChanges.note(tags, clock.now().getTime()),
    };
  }

  async function newMember(): Promise<Member> {
    const [member] = await testDb.database.db
      .insert(members)
      .values({ email: `reader${++n}@example.test`, createdAt: clock.now() })
      .returning();
    return member!;
  }

  async function signInBrowser(deps: SessionDeps, member: Member, cookieHeader?: string): Promise<string> {
    const { setCookie } = await openSession(deps, deps.db, { member, cookieHeader });
    return cookieOf(setCookie);
  }

  beforeAll(async () => {
    testDb = await openTestDatabase(kind);
  });
  afterAll(async () => testDb.close());

  test("a fresh claim is read without the database", async () => {
    const deps = processDeps();
    const cookie = await signInBrowser(deps, await newMember());
    const { session, setCookie } = await readSession({ ...deps, db: noDatabase }, cookie);
    expect(session?.entitlement).toBe("registered");
    expect(setCookie).toBeUndefined();
  });

  test("a signed-out cookie's copy is refused by the account check at once, and by page views once its claim ends", async () => {
    const here = processDeps();
    const elsewhere = processDeps();
    const cookie = await signInBrowser(here, await newMember());
    await endSession(here, cookie);

    expect(await findSignedInMember(elsewhere, cookie)).toBeUndefined();
    // This process heard of the sign-out; another one did not and trusts the claim only while it is fresh.
    expect((await readSession(here, cookie)).session).toBeUndefined();
    expect((await readSession(elsewhere, cookie)).session).toBeDefined();
    clock.advance(CLAIM_LIFETIME_MS);
    const later = await readSession(elsewhere, cookie);
    expect(later.session).toBeUndefined();
    expect(later.setCookie).toContain("Max-Age=0");
  });

  test("signing in again in a browser ends its earlier session; signing out everywhere ends every one", async () => {
    const deps = processDeps();
    const member = await newMember();
    const first = await signInBrowser(deps, member);
    const second = await signInBrowser(deps, member, first);
    const other = await signInBrowser(deps, member);
    expect(await findSignedInMember(deps, first)).toBeUndefined();
    expect((await findSignedInMember(deps, second))?.member.id).toBe(member.id);

    await signOutEverywhere(deps, member.id);
    for (const cookie of [second, other]) {
      expect(await findSignedInMember(deps, cookie)).toBeUndefined();
      expect((await readSession(deps, cookie)).session).toBeUndefined();
    }
  });

  test("a session in use stays signed in past the renewal window; one left unused that long is gone", async () => {
    const deps = processDeps();
    const member = await newMember();
    const used = await signInBrowser(deps, member);
    const idle = await signInBrowser(deps, member);
    let current = used;
    for (let i = 0; i < 3; i++) {
      clock.advance(RENEWAL_WINDOW_MS - DAY);
      const renewed = await readSession(deps, current);
      expect(renewed.session?.memberId).toBe(member.id);
      current = cookieOf(renewed.setCookie!);
    }
    expect((await readSession(deps, idle)).session).toBeUndefined();
  });
});
