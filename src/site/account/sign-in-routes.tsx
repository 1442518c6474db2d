/** /signin, the emailed link's page, and signing out. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as content from "../../content/index.js";
import * as members from "../../members/index.js";
import * as newsletters from "../../newsletters/index.js";
import { AppError } from "../../shared/errors.js";
import { readerClassOf } from "../reader.js";
import {
  type AccountDeps,
  brandOf,
  messageFor,
  rejectCrossSiteForm,
  sendPersonalPage,
  TokenBody,
  TokenQuery,
  tooManyLinksMessage,
} from "./pages.js";
import { CheckEmailPage, ConfirmLinkPage, type FormMessage, SignInPage } from "./sign-in-views.js";

const EmptyBody = Type.Object({}, { additionalProperties: false });
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 1000 })) });
const SignInBody = Type.Object(
  { email: Type.String({ maxLength: 320 }), next: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);

type SignInFormInput = {
  status: number;
  next?: string | undefined;
  email?: string;
  message?: FormMessage;
  holdsToken?: boolean;
};

export async function signInRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  signInRequestRoutes(app, deps);
  signInLinkRoutes(app, deps);
  signOutRoutes(app, deps);
}

/** The sign-in form, and asking for a link by email. */
function signInRequestRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof NextQuery> }>(
    "/signin",
    { schema: { querystring: NextQuery } },
    async (req, reply) => {
      const next = members.safeNextPath(req.query.next);
      if (members.peekSession(deps, req.headers.cookie)) return reply.redirect(next ?? "/account", 303);
      return sendSignInForm(deps, { req, reply, status: 200, next });
    },
  );

  app.post<{ Body: Static<typeof SignInBody> }>(
    "/signin",
    { schema: { body: SignInBody }, onRequest },
    async (req, reply) => {
      const { email, next } = req.body;
      try {
        const frame = await frameFor(deps, req);
        const result = await members.requestSignIn(deps, { email, next, ip: req.ip, brand: brandOf(frame) });
        if (result.kind === "limited") {
          reply.header("retry-after", String(result.retryAfterSeconds));
          return sendSignInForm(deps, {
            req,
            reply,
            status: 429,
            next,
            email,
            message: tooManyLinksMessage(result.retryAfterSeconds),
          });
        }
        const validMinutes = members.TOKEN_VALID_MINUTES;
        return sendPersonalPage(reply, {
          status: 200,
          body: <CheckEmailPage frame={frame} email={result.email} validMinutes={validMinutes} />,
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return sendSignInForm(deps, { req, reply, status: err.status, next, email, message: messageFor(err) });
      }
    },
  );
}

/** The emailed link's page, and pressing its button: the session starts there. */
function signInLinkRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/signin/verify",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const { token } = req.query;
      if (!(await members.isLinkUsable(deps, { token, purpose: "sign-in" }))) {
        const message = { kind: "error", text: "This link has expired or was already used." } as const;
        return sendSignInForm(deps, { req, reply, status: 400, message, holdsToken: true });
      }
      const frame = await frameFor(deps, req);
      return sendPersonalPage(reply, {
        status: 200,
        holdsToken: true,
        body: (
          <ConfirmLinkPage
            frame={frame}
            title={`Sign in to ${frame.settings.title}`}
            lede="Press the button to finish signing in on this device."
            action="/signin/verify"
            button="Sign in"
            token={token}
          />
        ),
      });
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    "/signin/verify",
    { schema: { body: TokenBody }, onRequest },
    async (req, reply) => {
      reply.header("referrer-policy", "no-referrer").header("cache-control", "no-store");
      let signedIn: members.SignInResult;
      try {
        signedIn = await members.completeSignIn(deps, { token: req.body.token, cookieHeader: req.headers.cookie });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return sendSignInForm(deps, { req, reply, status: err.status, message: messageFor(err), holdsToken: true });
      }
      if (signedIn.isNewMember) await welcomeNewMember(deps, { req, signedIn });
      reply.header("set-cookie", signedIn.setCookie);
      return reply.redirect(members.safeNextPath(signedIn.nextPath) ?? "/account", 303);
    },
  );
}

/** Signing out of this browser, or of every one. */
function signOutRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  // The session ends on the server, not only in this browser: a copy of the cookie is refused from now on.
  app.post("/signout", { schema: { body: EmptyBody }, onRequest }, async (req, reply) => {
    const setCookie = await members.endSession(deps, req.headers.cookie);
    reply.header("set-cookie", setCookie).header("cache-control", "no-store");
    return reply.redirect("/", 303);
  });

  app.post("/signout/everywhere", { schema: { body: EmptyBody }, onRequest }, async (req, reply) => {
    const found = await members.findSignedInMember(deps, req.headers.cookie);
    if (found) await members.signOutEverywhere(deps, found.member.id);
    reply.header("set-cookie", members.clearSessionCookie(deps)).header("cache-control", "no-store");
    return reply.redirect("/", 303);
  });
}

/** The sign-in form: on its own, or again with what was typed and why it was refused. */
async function sendSignInForm(
  deps: AccountDeps,
  { req, reply, ...page }: SignInFormInput & { req: FastifyRequest; reply: FastifyReply },
): Promise<FastifyReply> {
  return sendPersonalPage(reply, {
    status: page.status,
    holdsToken: page.holdsToken ?? false,
    body: (
      <SignInPage
        frame={await frameFor(deps, req)}
        next={members.safeNextPath(page.next)}
        {...(page.email ? { email: page.email } : {})}
        message={page.message}
      />
    ),
  });
}

function frameFor(deps: AccountDeps, req: FastifyRequest) {
  return deps.loadFrame(readerClassOf(deps, req));
}

/** A first sign-in made the account: the default newsletters, the welcome email, and the wall it came from. */
async function welcomeNewMember(
  deps: AccountDeps,
  { req, signedIn }: { req: FastifyRequest; signedIn: members.SignInResult },
): Promise<void> {
  await countRegistrationFrom(deps, signedIn.nextPath);
  await newsletters.chooseDefaults(deps.db, { memberId: signedIn.member.id, at: deps.clock.now() });
  const brand = brandOf(await deps.loadFrame("member"));
  // The account exists and the reader is signed in either way; a welcome lost to a mail outage is logged.
  await members
    .sendWelcomeEmail(deps, { member: signedIn.member, brand })
    .catch((err: unknown) => req.log.error({ err }, "welcome email not sent"));
}

/**
 * A new member whose first sign-in returns to an article came from that article's paywall: the wall's links are
 * the only ones that send a reader to sign in with an article as the way back.
 */
async function countRegistrationFrom(deps: AccountDeps, nextPath: string | undefined): Promise<void> {
  const slug = nextPath?.match(/^\/[a-z0-9-]+\/([a-z0-9-]+)$/)?.[1];
  const article = slug ? await content.findArticleForReading(deps.db, slug) : undefined;
  if (article && article.path === nextPath) deps.paywallCounters.count(article.id, "registrations");
}
