/**
 * /admin/api/home (the front page's lead and top stories) and /admin/api/breaking (the strip) for editors, and
 * /admin/api/settings (the paper's name, look, locale, social accounts, masthead and footer) for admins.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as billing from "../billing/index.js";
import * as content from "../content/index.js";
import { Invalid } from "../shared/errors.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME, parseTimeInput, Status, TIME_INPUT, UUID } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

/** How long a strip may run: a story stops being breaking; the newsroom sets it again if it still is. */
const MAX_BREAKING_DAYS = 7;

const HomePick = closed(
  {
    id: Type.String(),
    title: Type.String(),
    path: Type.String(),
    status: Status,
    publishedAt: Type.Union([DATE_TIME, Type.Null()]),
  },
  { title: "HomePick" },
);
const HomeEnvelope = closed({
  home: closed({
    lead: Type.Union([HomePick, Type.Null()]),
    top: Type.Array(HomePick, { description: "In order; picks that are no longer published are not shown" }),
    maxTopStories: Type.Integer(),
  }),
});
const HomeBody = closed({
  leadId: Type.Union([UUID, Type.Null()]),
  topIds: Type.Array(UUID, { maxItems: content.MAX_TOP_STORIES }),
});

const LINK = Type.String({ minLength: 1, maxLength: 2000, description: "https://…, http://… or /a/path/on/the/site" });
const BreakingView = closed(
  {
    text: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    expiresAt: DATE_TIME,
    isLive: Type.Boolean({ description: "False once it has expired: readers no longer see it" }),
  },
  { title: "Breaking" },
);
const BreakingEnvelope = closed({ breaking: Type.Union([BreakingView, Type.Null()]) });
const BreakingBody = closed({
  text: Type.String({ minLength: 1, maxLength: 200 }),
  url: Type.Optional(Type.Union([LINK, Type.Null()])),
  expiresAt: TIME_INPUT,
});

const nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);
const SettingsBody = closed({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.String({ maxLength: 300 }),
  logoUrl: nullable(Type.String({ maxLength: 2000 })),
  accentColor: Type.String({ pattern: "^#[0-9a-fA-F]{6}$", description: "#rrggbb" }),
  language: Type.String({ pattern: "^[a-z]{2,3}(-[A-Z]{2})?$", description: "BCP 47: en, de, fr, pt-BR" }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: "IANA, e.g. Europe/Berlin" }),
  currency: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217, e.g. EUR" }),
  social: closed({
    xHandle: nullable(Type.String({ maxLength: 16 })),
    facebookPage: nullable(Type.String({ maxLength: 200, description: "https://www.facebook.com/yourpaper" })),
    instagramHandle: nullable(Type.String({ maxLength: 31 })),
    mastodonHandle: nullable(Type.String({ maxLength: 120, description: "@paper@mastodon.social" })),
  }),
  navigation: Type.Array(UUID, {
    maxItems: content.MAX_NAVIGATION,
    description: "Section ids the masthead shows, in order; empty: every active section by position",
  }),
  footerLinks: Type.Array(closed({ label: Type.String({ minLength: 1, maxLength: 60 }), url: LINK }), {
    maxItems: content.MAX_FOOTER_LINKS,
  }),
});

export async function curationRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  homeRoutes(app, deps);
  breakingRoutes(app, deps);
  settingsRoutes(app, deps);
}

/** The front page's lead and top stories (editors). */
function homeRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  const home = async () => ({
    home: { ...(await content.getHomeCuration(deps.db)), maxTopStories: content.MAX_TOP_STORIES },
  });

  api.get("/home", { schema: { response: { 200: HomeEnvelope } } }, async (req) => {
    authorize(actorOf(req), "home.curate", undefined);
    return home();
  });

  api.put("/home", { schema: { body: HomeBody, response: { 200: HomeEnvelope } } }, async (req) => {
    authorize(actorOf(req), "home.curate", undefined);
    await deps.invalidator.commit((tx) => content.setHomeCuration(tx, req.body));
    return home();
  });
}

/** The breaking-news strip: read, set with an expiry at most a week away, clear (editors). */
function breakingRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  const breakingView = (breaking: content.BreakingNews | undefined) =>
    breaking ? { ...breaking, isLive: breaking.expiresAt > deps.clock.now() } : null;

  api.get("/breaking", { schema: { response: { 200: BreakingEnvelope } } }, async (req) => {
    authorize(actorOf(req), "breaking.manage", undefined);
    return { breaking: breakingView(await content.findBreakingNews(deps.db)) };
  });

  api.put("/breaking", { schema: { body: BreakingBody, response: { 200: BreakingEnvelope } } }, async (req) => {
    const actor = actorOf(req);
    authorize(actor, "breaking.manage", undefined);
    const now = deps.clock.now();
    const expiresAt = parseTimeInput(req.body.expiresAt, "expiresAt");
    if (expiresAt.getTime() - now.getTime() > MAX_BREAKING_DAYS * 86_400_000) {
      throw new Invalid("EXPIRY_TOO_FAR", `A strip runs for at most ${MAX_BREAKING_DAYS} days`, {
        property: "expiresAt",
      });
    }
    const { breaking } = await deps.invalidator.commit((tx) =>
      content.setBreakingNews(tx, { text: req.body.text, url: req.body.url ?? null, expiresAt, by: actor.id, now }),
    );
    return { breaking: breakingView(breaking) };
  });

  api.delete("/breaking", { schema: { response: { 204: Type.Null() } } }, async (req, reply) => {
    authorize(actorOf(req), "breaking.manage", undefined);
    await deps.invalidator.commit((tx) => content.clearBreakingNews(tx));
    return reply.code(204).send(null);
  });
}

/** The paper's settings (admins); a change of currency makes checkout create new Stripe prices. */
function settingsRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  const settingsView = async () => {
    const s = await content.getSettings(deps.db);
    return {
      title: s.title,
      description: s.description,
      logoUrl: s.logoUrl,
      accentColor: s.accentColor,
      language: s.language,
      timeZone: s.timeZone,
      currency: s.currency,
      social: {
        xHandle: s.xHandle,
        facebookPage: s.facebookPage,
        instagramHandle: s.instagramHandle,
        mastodonHandle: s.mastodonHandle,
      },
      navigation: s.navigation,
      footerLinks: s.footerLinks,
    };
  };

  api.get("/settings", { schema: { response: { 200: SettingsBody } } }, async (req) => {
    authorize(actorOf(req), "settings.manage", undefined);
    return settingsView();
  });

  api.put("/settings", { schema: { body: SettingsBody, response: { 200: SettingsBody } } }, async (req) => {
    authorize(actorOf(req), "settings.manage", undefined);
    await deps.invalidator.commit(async (tx) => {
      const saved = await content.updateSiteSettings(tx, req.body);
      // Stripe prices have one currency: the next checkout makes new ones. Existing subscriptions keep theirs.
      if (saved.isCurrencyChanged) await billing.forgetStripePrices(tx);
      return saved;
    });
    return settingsView();
  });
}
