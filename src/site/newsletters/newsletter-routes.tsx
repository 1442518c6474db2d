/**
 * Readers choose newsletters: a newsletter's page (cached and shared, the same for everyone) with its sign-up
 * form, the double opt-in's confirmation, and the checkboxes of /account.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { PageCache } from "../../cache/index.js";
import type * as members from "../../members/index.js";
import * as newsletters from "../../newsletters/index.js";
import { AppError, NotFound } from "../../shared/errors.js";
import {
  type AccountDeps,
  brandOf,
  messageFor,
  readerClassOfMember,
  rejectCrossSiteForm,
  requireMember,
  sendPersonalPage,
  tooManyLinksMessage,
} from "../account/pages.js";
import { ConfirmLinkPage, type FormMessage } from "../account/sign-in-views.js";
import type { ReaderOf } from "../reader.js";
import { framedPage, renderDocument, servePage } from "../serve-page.js";
import { NewsletterNoticePage, NewsletterPage } from "./newsletter-views.js";

export type NewsletterPageDeps = AccountDeps & { cache: PageCache; readerOf: ReaderOf };

const SlugParams = Type.Object({ slug: Type.String({ pattern: "^[a-z0-9]+(?:-[a-z0-9]+)*$", maxLength: 120 }) });
const EmailBody = Type.Object({ email: Type.String({ maxLength: 320 }) }, { additionalProperties: false });
export const LinkToken = Type.String({
  minLength: 10,
  maxLength: newsletters.MAX_TOKEN_LENGTH,
  pattern: "^[A-Za-z0-9_.-]+$",
});
const TokenBody = Type.Object({ token: LinkToken }, { additionalProperties: false });
const ChoicesBody = Type.Object(
  {
    save: Type.Literal("newsletters"),
    newsletter: Type.Optional(
      Type.Union([Type.String({ maxLength: 36 }), Type.Array(Type.String({ maxLength: 36 }), { maxItems: 100 })]),
    ),
  },
  { additionalProperties: false },
);

/** The ids a form's checkboxes sent: none, one (a string) or several. */
export function chosenIds(field: string | string[] | undefined): string[] {
  return field === undefined ? [] : Array.isArray(field) ? field : [field];
}

const notFound = () => new NotFound("NEWSLETTER_NOT_FOUND", "There is no newsletter at this address.");

/** A short personal page (never cached): a sign-up's "check your email", a confirmation, a refused link. */
export async function noticePage(
  deps: NewsletterPageDeps,
  { reply, ...page }: { reply: FastifyReply; status: number; title: string; lede: string; path: string },
) {
  const frame = await deps.loadFrame("anon");
  return sendPersonalPage(reply, {
    status: page.status,
    body: <NewsletterNoticePage frame={frame} title={page.title} lede={page.lede} path={page.path} />,
  });
}

export async function newsletterRoutes(app: FastifyInstance, deps: NewsletterPageDeps): Promise<void> {
  confirmRoutes(app, deps);
  pageRoutes(app, deps);
  accountChoicesRoute(app, deps);
}

function confirmRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);
  const path = "/newsletters/confirm";
  const linkRefused = (reply: FastifyReply, err: AppError) =>
    noticePage(deps, { reply, status: err.status, title: "This link does not work", lede: err.message, path });

  app.get(
    "/newsletters/confirm",
    { schema: { querystring: Type.Object({ token: LinkToken }) } },
    async (req, reply) => {
      const { token } = req.query as { token: string };
      reply.header("referrer-policy", "no-referrer");
      try {
        const newsletter = await newsletters.checkConfirmLink(deps, token);
        return sendPersonalPage(reply, {
          status: 200,
          holdsToken: true,
          body: (
            <ConfirmLinkPage
              frame={await deps.loadFrame("anon")}
              title={`Confirm your sign-up to ${newsletter.name}`}
              lede="One more click: press the button to start receiving it."
              action="/newsletters/confirm"
              button="Confirm my sign-up"
              token={token}
            />
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return linkRefused(reply, err);
      }
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    "/newsletters/confirm",
    { schema: { body: TokenBody }, onRequest },
    async (req, reply) => {
      reply.header("referrer-policy", "no-referrer");
      try {
        const { newsletter, member } = await newsletters.confirmNewsletterSignUp(deps, req.body.token);
        const lede = `${newsletter.name} will come to ${member.email}. Every issue has a link to unsubscribe.`;
        return noticePage(deps, { reply, status: 200, title: "You are signed up", lede, path });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return linkRefused(reply, err);
      }
    },
  );
}

function pageRoutes(app: FastifyInstance, deps: NewsletterPageDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);
  app.get<{ Params: Static<typeof SlugParams> }>(
    "/newsletters/:slug",
    { schema: { params: SlugParams } },
    async (req, reply) => {
      const { cacheClass } = await deps.readerOf(req, reply);
      const path = `/newsletters/${req.params.slug}`;
      return servePage(deps.cache, {
        req,
        reply,
        key: `${cacheClass}:${path}`,
        render: async () => {
          const newsletter = await newsletters.findActiveNewsletterBySlug(deps.db, req.params.slug);
          if (!newsletter) throw notFound();
          const frame = await deps.loadFrame(cacheClass);
          const canSignUp = newsletters.canSignUpFromPage(newsletter);
          const html = renderDocument(<NewsletterPage frame={frame} newsletter={newsletter} canSignUp={canSignUp} />);
          return framedPage(frame, 200, html, []);
        },
      });
    },
  );

  app.post<{ Params: Static<typeof SlugParams>; Body: Static<typeof EmailBody> }>(
    "/newsletters/:slug",
    { schema: { params: SlugParams, body: EmailBody }, onRequest },
    async (req, reply) => {
      const newsletter = await newsletters.findActiveNewsletterBySlug(deps.db, req.params.slug);
      if (!newsletter) throw notFound();
      const frame = await deps.loadFrame("anon");
      const again = (status: number, message: FormMessage) =>
        sendPersonalPage(reply, {
          status,
          body: (
            <NewsletterPage
              frame={frame}
              newsletter={newsletter}
              canSignUp={newsletters.canSignUpFromPage(newsletter)}
              email={req.body.email}
              message={message}
            />
          ),
        });
      try {
        const result = await newsletters.requestNewsletterSignUp(deps, {
          slug: newsletter.slug,
          email: req.body.email,
          ip: req.ip,
          brand: brandOf(frame),
        });
        if (result.kind === "limited") {
          reply.header("retry-after", String(result.retryAfterSeconds));
          return again(429, tooManyLinksMessage(result.retryAfterSeconds));
        }
        const lede = `We sent a link to ${result.email}. ${newsletter.name} starts once you open it and confirm.`;
        return noticePage(deps, {
          reply,
          status: 200,
          title: "Check your email",
          lede,
          path: `/newsletters/${newsletter.slug}`,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return again(err.status, messageFor(err));
      }
    },
  );
}

function accountChoicesRoute(app: FastifyInstance, deps: NewsletterPageDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);
  app.post<{ Body: Static<typeof ChoicesBody> }>(
    "/account/newsletters",
    { schema: { body: ChoicesBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account" });
      if (!member) return reply;
      const now = deps.clock.now();
      await newsletters.saveChoices(deps.db, {
        memberId: member.id,
        chosenIds: chosenIds(req.body.newsletter),
        hasPaidAccess: hasPaidAccess(member, now),
        source: "account",
        at: now,
      });
      return reply.redirect("/account?notice=newsletters-saved", 303);
    },
  );
}

/** Whether a member may choose paid newsletters now. */
export function hasPaidAccess(member: members.Member, now: Date): boolean {
  return readerClassOfMember(member, now) === "subscriber";
}
