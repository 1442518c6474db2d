import { describe, expect, it } from "vitest";
import { ghostAuthorAccounts } from "./author-accounts.js";

const accountsOf = (profileLinks: string[], xHandle: string | null = null) =>
  ghostAuthorAccounts({ xHandle, profileLinks });

describe("an author's accounts in Ghost's fields", () => {
  it("keeps each platform's handle or path as Ghost stores it, and the own site as an address", () => {
    expect(
      accountsOf([
        "https://mirakos.example/about",
        "https://www.facebook.com/groups/harbourwatch",
        "https://x.com/mirakos",
        "https://www.threads.net/@mira.kos",
        "https://bsky.app/profile/mira.bsky.social",
        "https://social.example/@mira",
        "https://www.tiktok.com/@mirakos",
        "https://www.youtube.com/@MiraKos",
        "https://www.instagram.com/mira.kos/",
        "https://www.linkedin.com/in/mira-kos/",
      ]),
    ).toEqual({
      website: "https://mirakos.example/about",
      facebook: "groups/harbourwatch",
      twitter: "@mirakos",
      threads: "@mira.kos",
      bluesky: "mira.bsky.social",
      mastodon: "social.example/@mira",
      tiktok: "@mirakos",
      youtube: "@MiraKos",
      instagram: "mira.kos",
      linkedin: "mira-kos",
    });
  });

  it("reads Ghost's other forms: a Facebook profile by id, YouTube channels, LinkedIn companies, Twitter's old host", () => {
    expect(accountsOf(["https://www.facebook.com/profile.php?id=100086939887650"]).facebook).toBe(
      "profile.php?id=100086939887650",
    );
    expect(accountsOf(["https://www.youtube.com/channel/UC4QobU6STFB0P71PMvOGN5A"]).youtube).toBe(
      "channel/UC4QobU6STFB0P71PMvOGN5A",
    );
    expect(accountsOf(["https://www.linkedin.com/company/harbour-press"]).linkedin).toBe("company/harbour-press");
    expect(accountsOf(["https://twitter.com/@mirakos"]).twitter).toBe("@mirakos");
    expect(accountsOf(["https://social.example/@mira@other.example"]).mastodon).toBe(
      "social.example/@mira@other.example",
    );
  });

  it("takes the X handle over an X link, and the first link of a platform over a later one", () => {
    const accounts = accountsOf(
      ["https://x.com/other", "https://first.example/", "https://second.example/", "https://www.instagram.com/a"],
      "mirakos",
    );
    expect(accounts).toMatchObject({ twitter: "@mirakos", website: "https://first.example/", instagram: "a" });
  });

  it("fills nothing from a link that is no profile, a link that is not https, or text that is no address", () => {
    const accounts = accountsOf([
      "https://x.com/",
      "https://x.com/home.page",
      "https://www.tiktok.com/mirakos",
      "https://bsky.app/search",
      "http://mirakos.example/",
      "javascript:alert(1)",
      "not an address",
    ]);
    expect(Object.values(accounts).every((value) => value === null)).toBe(true);
  });
});
