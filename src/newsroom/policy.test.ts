import { describe, expect, test } from "vitest";
import { can, decideByline, ROLES, rankOf } from "./policy.js";

const actor = (role: (typeof ROLES)[number]) => ({ id: `${role}-id`, role });

describe("granting roles", () => {
  test("nobody invites to a role above their own, nor to owner; admins and owners invite up to their own", () => {
    for (const by of ROLES) {
      const grantable = ROLES.filter((role) => can(actor(by), "staff.invite", { role }));
      const expected =
        rankOf(by) >= rankOf("admin") ? ROLES.filter((r) => r !== "owner" && rankOf(r) <= rankOf(by)) : [];
      expect({ by, grantable }).toEqual({ by, grantable: expected });
    }
  });

  test("a role change never starts from or ends above the changer's own role, and never touches owner", () => {
    for (const by of ROLES) {
      for (const from of ROLES) {
        for (const to of ROLES) {
          const isAllowed = can(actor(by), "staff.change-role", { from, to });
          const isWithinReach =
            rankOf(by) >= rankOf("admin") &&
            from !== "owner" &&
            to !== "owner" &&
            rankOf(from) <= rankOf(by) &&
            rankOf(to) <= rankOf(by);
          expect({ by, from, to, isAllowed }).toEqual({ by, from, to, isAllowed: isWithinReach });
        }
      }
    }
  });
});

describe("deactivating staff", () => {
  test("admins and the owner switch off accounts up to their own role, never the owner's", () => {
    for (const by of ROLES) {
      const reachable = ROLES.filter((role) => can(actor(by), "staff.deactivate", { role }));
      const expected =
        rankOf(by) >= rankOf("admin") ? ROLES.filter((r) => r !== "owner" && rankOf(r) <= rankOf(by)) : [];
      expect({ by, reachable }).toEqual({ by, reachable: expected });
    }
  });
});

describe("articles", () => {
  test("whoever may read an article in the newsroom may make preview links for it", () => {
    for (const role of ROLES) {
      for (const status of ["draft", "in_review", "scheduled", "published"] as const) {
        for (const authorIds of [[`${role}-id`], ["someone-else"]]) {
          const article = { authorIds, status };
          const canRead = can(actor(role), "article.read", article);
          expect({ role, status, authorIds, may: can(actor(role), "article.preview", article) }).toEqual({
            role,
            status,
            authorIds,
            may: canRead,
          });
        }
      }
    }
  });

  test("a contributor's own article is theirs to edit until it is scheduled or published", () => {
    const contributor = actor("contributor");
    const statuses = ["draft", "in_review", "scheduled", "published"] as const;
    const own = (status: (typeof statuses)[number]) => ({ authorIds: [contributor.id], status });
    expect(statuses.map((status) => can(contributor, "article.edit", own(status)))).toEqual([true, true, false, false]);
    expect(can(contributor, "article.publish", own("draft"))).toBe(false);
  });
});

describe("bylines", () => {
  const me = (role: (typeof ROLES)[number]) => actor(role).id;

  test("below editor, nobody takes their own name off a byline: not on a new article, not on a saved one", () => {
    for (const role of ["contributor", "author"] as const) {
      expect(decideByline(actor(role), { before: [me(role)], after: ["colleague-id"] })).toMatchObject({
        kind: "refused",
        code: "BYLINE_WITHOUT_YOU",
      });
      expect(decideByline(actor(role), { before: [], after: ["colleague-id"] })).toMatchObject({
        kind: "refused",
        code: "BYLINE_WITHOUT_YOU",
      });
    }
  });

  test("below editor, one adds co-authors and reorders names while staying on the byline", () => {
    for (const role of ["contributor", "author"] as const) {
      const added = decideByline(actor(role), { before: [me(role)], after: [me(role), "colleague-id"] });
      const reordered = decideByline(actor(role), {
        before: [me(role), "colleague-id"],
        after: ["colleague-id", me(role)],
      });
      const created = decideByline(actor(role), { before: [], after: ["colleague-id", me(role)] });
      expect({ role, added, reordered, created }).toEqual({
        role,
        added: { kind: "allowed" },
        reordered: { kind: "allowed" },
        created: { kind: "allowed" },
      });
    }
  });

  test("below editor, one takes no colleague off a shared byline", () => {
    for (const role of ["contributor", "author"] as const) {
      const decision = decideByline(actor(role), { before: ["colleague-id", me(role)], after: [me(role)] });
      expect(decision).toMatchObject({ kind: "refused", code: "BYLINE_DROPS_COLLEAGUE" });
    }
  });

  test("editors and up set any byline, themselves off it included", () => {
    for (const role of ["editor", "admin", "owner"] as const) {
      const reassigned = decideByline(actor(role), { before: [me(role), "a-id"], after: ["b-id"] });
      const created = decideByline(actor(role), { before: [], after: ["b-id"] });
      expect({ role, reassigned, created }).toEqual({
        role,
        reassigned: { kind: "allowed" },
        created: { kind: "allowed" },
      });
    }
  });
});

describe("the media library", () => {
  test("every role, from contributor up, browses it and uploads images", () => {
    for (const role of ROLES) {
      for (const action of ["media.list", "media.upload"] as const) {
        expect({ role, action, allowed: can(actor(role), action, undefined) }).toEqual({ role, action, allowed: true });
      }
    }
  });

  test("contributors and authors describe only the images they uploaded; editors and up describe any", () => {
    for (const role of ROLES) {
      const own = can(actor(role), "media.describe", { uploadedBy: actor(role).id });
      const others = can(actor(role), "media.describe", { uploadedBy: "someone-else" });
      const unknown = can(actor(role), "media.describe", { uploadedBy: null });
      const isEditor = rankOf(role) >= rankOf("editor");
      expect({ role, own, others, unknown }).toEqual({ role, own: true, others: isEditor, unknown: isEditor });
    }
  });
});

describe("the staff list", () => {
  test("colleagues' email addresses, roles and account state are for editors and up", () => {
    const readers = ROLES.filter((role) => can(actor(role), "staff.read-details", undefined));
    expect(readers).toEqual(["editor", "admin", "owner"]);
  });
});
