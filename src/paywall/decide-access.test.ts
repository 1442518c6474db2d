import { describe, expect, test } from "vitest";
import { decideAccess, outcomeKey } from "./decide-access.js";

const anonymous = { kind: "anonymous" } as const;
const member = { kind: "member", isSubscriber: false } as const;
const subscriber = { kind: "member", isSubscriber: true } as const;
const staff = { kind: "staff" } as const;

describe("decideAccess", () => {
  test("a public article is read in full by anyone", () => {
    expect(decideAccess(anonymous, { accessLevel: "public", hasGatedPart: true })).toEqual({ kind: "full" });
  });

  test("a registered-only article is a preview asking an anonymous reader to register", () => {
    expect(decideAccess(anonymous, { accessLevel: "registered", hasGatedPart: true })).toEqual({
      kind: "preview",
      ask: "register",
    });
    expect(decideAccess(member, { accessLevel: "registered", hasGatedPart: true })).toEqual({ kind: "full" });
  });

  test("a paid article asks everyone but subscribers and staff to subscribe", () => {
    const paid = { accessLevel: "paid", hasGatedPart: true } as const;
    expect(decideAccess(anonymous, paid)).toEqual({ kind: "preview", ask: "subscribe" });
    expect(decideAccess(member, paid)).toEqual({ kind: "preview", ask: "subscribe" });
    expect(decideAccess(subscriber, paid)).toEqual({ kind: "full" });
    expect(decideAccess(staff, paid)).toEqual({ kind: "full" });
  });

  test("an article too short to have a gated part is never a preview", () => {
    expect(decideAccess(anonymous, { accessLevel: "paid", hasGatedPart: false })).toEqual({ kind: "full" });
  });

  test("outcomes have stable cache names", () => {
    expect(outcomeKey({ kind: "full" })).toBe("full");
    expect(outcomeKey({ kind: "preview", ask: "register" })).toBe("preview-register");
  });
});
