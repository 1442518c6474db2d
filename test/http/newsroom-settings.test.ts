/** Site settings over HTTP: admins change them, every field is checked, and every cached page shows the change. */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startApp, type TestApp } from "../support/app.js";
import { databaseKinds } from "../support/db.js";
import { api, type StaffAccount, signedInStaff } from "../support/newsroom.js";

describe.each(databaseKinds())("site settings on %s", (kind) => {
  let app: TestApp;
  let admin: StaffAccount;
  let editor: StaffAccount;

  beforeAll(async () => {
    app = await startApp({ template: "empty", database: kind });
    admin = await signedInStaff(app, "admin");
    editor = await signedInStaff(app, "editor");
  });
  afterAll(() => app.close());

  const current = async () => (await api(app, "GET", "/admin/api/settings", { cookie: admin.cookie })).json();
  const save = (body: unknown, as = admin) => api(app, "PUT", "/admin/api/settings", { cookie: as.cookie, body });

  test("a title with markup is saved as text and shown escaped on every page at the next request", async () => {
    const story = await app.make.article({ title: "Harbour reopens" });
    const paths = ["/", `/section/${story.section.slug}`, `/${story.section.slug}/${story.slug}`, "/no-such-page"];
    for (const path of paths.slice(0, 3)) await app.html(path); // fill the page cache
    const hostile = '<script>alert("owned")</script> Gazette';
    const res = await save({ ...(await current()), title: hostile, description: "<img src=x onerror=alert(1)>" });
    expect(res.status).toBe(200);
    expect((await res.json()).title).toBe(hostile);
    for (const path of paths) {
      const html = await (await app.get(path)).text();
      expect(html, path).toContain("&lt;script>alert(&quot;owned&quot;)&lt;/script> Gazette");
      expect(html, path).not.toContain('<script>alert("owned")');
      expect(html, path).not.toContain("<img src=x");
    }
  });

  test("a new language stems the archive's words anew, so search finds their forms in that language", async () => {
    expect((await save({ ...(await current()), language: "en" })).status).toBe(200);
    await app.make.article({ title: "Verhandlungen gescheitert" });
    // Quoted, so the word is not also matched as a prefix: only stemming can find "Verhandlungen".
    const search = async () => app.html(`/search?q=${encodeURIComponent('"Verhandlung"')}`);
    expect(await search()).not.toContain("Verhandlungen gescheitert");
    expect((await save({ ...(await current()), language: "de" })).status).toBe(200);
    expect(await search()).toContain("Verhandlungen gescheitert");
  });

  test("colour, language, time zone, currency, social accounts, masthead and footer are saved and shown", async () => {
    const economy = await app.make.section({ name: "Economy" });
    const culture = await app.make.section({ name: "Culture" });
    await app.html("/");
    const settings = {
      ...(await current()),
      title: "The Harbour Times",
      accentColor: "#1D4ED8",
      language: "de",
      timeZone: "europe/berlin",
      currency: "CHF",
      social: {
        xHandle: "@harbourtimes",
        facebookPage: "https://www.facebook.com/harbourtimes",
        instagramHandle: "harbour.times",
        mastodonHandle: "@times@mastodon.social",
      },
      navigation: [culture.id, economy.id],
      footerLinks: [
        { label: "Corrections policy", url: "/corrections" },
        { label: "Jobs", url: "https://jobs.example.com/harbour" },
      ],
    };
    const res = await save(settings);
    expect(res.status).toBe(200);
    const saved = await res.json();
    expect(saved).toEqual({
      ...settings,
      accentColor: "#1d4ed8",
      timeZone: "Europe/Berlin",
      social: { ...settings.social, xHandle: "harbourtimes" },
    });
    expect(await current()).toEqual(saved);
    const html = await app.html("/");
    expect(html).toContain('<html lang="de" style="--accent:#1d4ed8">');
    const nav = html.slice(
      html.indexOf('class="section-nav"'),
      html.indexOf("</nav>", html.indexOf('class="section-nav"')),
    );
    expect(nav.indexOf(">Culture<")).toBeGreaterThan(-1);
    expect(nav.indexOf(">Culture<")).toBeLessThan(nav.indexOf(">Economy<"));
    expect(nav).not.toContain("Section ");
    expect(html).toContain('href="https://jobs.example.com/harbour">Jobs</a>');
    expect(html).toContain('href="https://mastodon.social/@times"');
    expect(html).toContain('href="https://www.instagram.com/harbour.times/"');
  });

  test("each bad field is refused with 400 naming it, and nothing is saved", async () => {
    const good = await current();
    const cases: [Record<string, unknown>, string][] = [
      [{ accentColor: "red" }, "accentColor"],
      [{ accentColor: "#fff" }, "accentColor"],
      [{ accentColor: "#12345g" }, "accentColor"],
      [{ language: "english" }, "language"],
      [{ language: "zz" }, "language"],
      [{ timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ timeZone: "+01:00" }, "timeZone"],
      [{ currency: "eur" }, "currency"],
      [{ currency: "ABC" }, "currency"],
      [{ title: "" }, "title"],
      [{ title: "   " }, "title"],
      [{ logoUrl: "javascript:alert(1)" }, "logoUrl"],
      [{ social: { ...good.social, xHandle: "has space" } }, "social.xHandle"],
      [{ social: { ...good.social, facebookPage: "https://evil.example/page" } }, "social.facebookPage"],
      [{ social: { ...good.social, mastodonHandle: "times" } }, "social.mastodonHandle"],
      [{ social: { ...good.social, tiktok: "x" } }, "social.tiktok"],
      [{ navigation: ["00000000-0000-4000-8000-000000000000"] }, "navigation.0"],
      [{ footerLinks: [{ label: "Bad", url: "javascript:alert(1)" }] }, "footerLinks.0.url"],
      [{ footerLinks: [{ label: "Bad", url: "//evil.example" }] }, "footerLinks.0.url"],
      [{ footerLinks: Array.from({ length: 13 }, () => ({ label: "x", url: "/x" })) }, "footerLinks"],
      [{ colour: "#000000" }, "colour"],
    ];
    for (const [change, property] of cases) {
      const res = await save({ ...good, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect((await res.json()).errors[0].property, JSON.stringify(change)).toBe(property);
    }
    expect(await current()).toEqual(good);
  });

  test("only admins and the owner read or change the settings", async () => {
    expect((await api(app, "GET", "/admin/api/settings", { cookie: editor.cookie })).status).toBe(403);
    expect((await save(await current(), editor)).status).toBe(403);
  });
});
