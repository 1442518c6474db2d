/**
 * The link every issue carries: POST unsubscribes in one click without signing in (RFC 8058; mail providers post
 * it from their servers, so no cross-site check: the signed token is the whole authority), GET shows the
 * member's preferences, which the page's form saves.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import * as newsletters from "../../newsletters/index.js";
import { AppError } from "../../shared/errors.js";
import { messageFor, rejectCrossSiteForm, sendPersonalPage } from "../account/pages.js";
import type { FormMessage } from "../account/sign-in-views.js";
import { chosenIds, LinkToken, type NewsletterPageDeps, noticePage } from "./newsletter-routes.js";
import { PreferencesPage } from "./newsletter-views.js";

const TokenQuery = Type.Object({ token: LinkToken });
/** RFC 8058's body; a click on the preference page's button sends none. */
const OneClickBody = Type.Union([
  Type.Object({ "List-Unsubscribe": Type.Optional(Type.Literal("One-Click")) }, { additionalProperties: false }),
  Type.Null(),
]);
const PreferencesBody = Type.Object(
  {
    token: LinkToken,
    save: Type.Literal("newsletters"),
    newsletter: Type.Optional(
      Type.Union([Type.String({ maxLength: 36 }), Type.Array(Type.String({ maxLength: 36 }), { maxItems: 100 })]),
    ),
  },
  { additionalProperties: false },
);

export async function unsubscribeRoutes(app: FastifyInstance, deps: NewsletterPageDeps): Promise<void> {
  // RFC 8058's example posts multipart/form-data: read (4 KiB at most) and set aside, as the token says it all.
  app.addContentTypeParser("multipart/form-data", { parseAs: "string", bodyLimit: 4096 }, (_req, _body, done) =>
    done(null, null),
  );
  const refused = (reply: FastifyReply, err: unknown) => {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    return noticePage(deps, {
      reply,
      status: err.status,
      title: "This link does not work",
      lede: err.message,
      path: "/newsletters/unsubscribe",
    });
  };
  const preferences = async (
    reply: FastifyReply,
    { token, status = 200, message }: { token: string; status?: number; message?: FormMessage },
  ) => {
    const managed = await newsletters.openManageLink(deps, token);
    reply.header("referrer-policy", "no-referrer");
    return sendPersonalPage(reply, {
      status,
      holdsToken: true,
      body: <PreferencesPage frame={await deps.loadFrame("anon")} managed={managed} token={token} message={message} />,
    });
  };

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/newsletters/unsubscribe",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => preferences(reply, { token: req.query.token }).catch((err: unknown) => refused(reply, err)),
  );

  app.post<{ Querystring: Static<typeof TokenQuery>; Body: Static<typeof OneClickBody> }>(
    "/newsletters/unsubscribe",
    { schema: { querystring: TokenQuery, body: OneClickBody } },
    async (req, reply) => {
      try {
        const newsletter = await newsletters.unsubscribeByLink(deps, req.query.token);
        const text = `You will no longer receive ${newsletter.name}.`;
        return await preferences(reply, { token: req.query.token, message: { kind: "notice", text } });
      } catch (err) {
        return refused(reply, err);
      }
    },
  );

  app.post<{ Body: Static<typeof PreferencesBody> }>(
    "/newsletters/preferences",
    { schema: { body: PreferencesBody }, onRequest: rejectCrossSiteForm(deps.publicUrl) },
    async (req, reply) => {
      try {
        const { token } = req.body;
        await newsletters.savePreferencesByLink(deps, { token, chosenIds: chosenIds(req.body.newsletter) });
        return await preferences(reply, { token, message: { kind: "notice", text: "Your newsletters are saved." } });
      } catch (err) {
        if (err instanceof AppError && err.code === "NEWSLETTER_NOT_AVAILABLE") {
          return preferences(reply, { token: req.body.token, status: 400, message: messageFor(err) });
        }
        return refused(reply, err);
      }
    },
  );
}
