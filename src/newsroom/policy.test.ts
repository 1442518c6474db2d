import { describe, expect, test } from "vitest";
import { can, ROLES, rankOf } from "./policy.js";

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

describe("the media library", () => {
  test("every role, from contributor up, browses it, uploads images and describes them", () => {
    for (const role of ROLES) {
      for (const action of ["media.list", "media.upload", "media.describe"] as const) {
        expect({ role, action, allowed: can(actor(role), action, undefined) }).toEqual({ role, action, allowed: true });
      }
    }
  });
});
