/** /account: name, email change, data export and deletion, for the signed-in member only. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import * as billing from "../../billing/index.js";
import * as members from "../../members/index.js";
import * as newsletters from "../../newsletters/index.js";
import { AppError } from "../../shared/errors.js";
import { readerClassOf } from "../reader.js";
import type { SiteFrame } from "../views/frame.js";
import {
  ACCOUNT_NOTICES,
  AccountDeletedPage,
  type AccountNotice,
  AccountPage,
  DeleteAccountPage,
  EmailRestoredPage,
  LinkRefusedPage,
} from "./account-views.js";
import {
  type AccountDeps,
  brandOf,
  messageFor,
  readerClassOfMember,
  rejectCrossSiteForm,
  requireMember,
  requireSignedIn,
  sendPersonalPage,
  TokenBody,
  TokenQuery,
  tooManyLinksMessage,
} from "./pages.js";
import { ConfirmLinkPage, type FormMessage } from "./sign-in-views.js";

const AccountQuery = Type.Object({
  notice: Type.Optional(Type.Union(Object.keys(ACCOUNT_NOTICES).map((k) => Type.Literal(k)))),
});
const NameBody = Type.Object({ name: Type.String({ maxLength: 120 }) }, { additionalProperties: false });
const EmailBody = Type.Object({ email: Type.String({ maxLength: 320 }) }, { additionalProperties: false });
const DeleteBody = Type.Object({ confirm: Type.Literal("yes") }, { additionalProperties: false });

const MemberExport = Type.Object(
  {
    exportedAt: Type.String(),
    member: Type.Object({
      id: Type.String(),
      email: Type.String(),
      name: Type.String(),
      createdAt: Type.String(),
      emailVerifiedAt: Type.Union([Type.String(), Type.Null()]),
    }),
    links: Type.Array(
      Type.Object({
        purpose: Type.String(),
        email: Type.String(),
        createdAt: Type.String(),
        expiresAt: Type.String(),
        usedAt: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    sessions: Type.Array(Type.Object({ signedInAt: Type.String(), renewedAt: Type.String() })),
  },
  { additionalProperties: false },
);

type AccountPageInput = {
  reply: FastifyReply;
  member: members.Member;
  status: number;
  message: FormMessage | undefined;
  askSignIn?: boolean;
};

export async function accountRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  accountFormRoutes(app, deps);
  emailConfirmRoutes(app, deps);
  emailUndoRoutes(app, deps);
  accountDataRoutes(app, deps);
}

/** The account page and its forms that answer with it: the name, and asking to change the email address. */
function accountFormRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof AccountQuery> }>(
    "/account",
    { schema: { querystring: AccountQuery } },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account" });
      if (!member) return reply;
      const notice = req.query.notice as AccountNotice | undefined;
      return sendAccountPage(deps, {
        reply,
        member,
        status: 200,
        message: notice && { kind: "notice", text: ACCOUNT_NOTICES[notice] },
      });
    },
  );

  app.post<{ Body: Static<typeof NameBody> }>(
    "/account/name",
    { schema: { body: NameBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account" });
      if (!member) return reply;
      await members.renameMember(deps, { id: member.id, name: req.body.name });
      return reply.redirect("/account?notice=name-saved", 303);
    },
  );

  app.post<{ Body: Static<typeof EmailBody> }>(
    "/account/email",
    { schema: { body: EmailBody }, onRequest },
    async (req, reply) => {
      const signedIn = await requireSignedIn(deps, { req, reply, returnTo: "/account" });
      if (!signedIn) return reply;
      const { member } = signedIn;
      try {
        const brand = brandOf(await deps.loadFrame("member"));
        const result = await members.requestEmailChange(deps, { signedIn, email: req.body.email, ip: req.ip, brand });
        if (result.kind === "limited") {
          reply.header("retry-after", String(result.retryAfterSeconds));
          return sendAccountPage(deps, {
            reply,
            member,
            status: 429,
            message: tooManyLinksMessage(result.retryAfterSeconds),
          });
        }
        if (result.kind === "unchanged") {
          return sendAccountPage(deps, {
            reply,
            member,
            status: 200,
            message: { kind: "notice", text: "That is already your email address." },
          });
        }
        return reply.redirect("/account?notice=email-link-sent", 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        // A stale sign-in is answered with the way to a fresh one: a link to the current address.
        const askSignIn = err.code === "RECENT_SIGN_IN_REQUIRED";
        return sendAccountPage(deps, { reply, member, status: err.status, message: messageFor(err), askSignIn });
      }
    },
  );
}

/** The email change's confirmation link: shown, and usable, only in the session that asked for the change. */
function emailConfirmRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/account/email/verify",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const signedIn = await members.findSignedInMember(deps, req.headers.cookie);
      if (signedIn?.setCookie) reply.header("set-cookie", signedIn.setCookie);
      const frame = await deps.loadFrame(readerClassOf(deps, req));
      try {
        const { email } = await members.checkEmailChangeLink(deps, { token: req.query.token, signedIn });
        return sendPersonalPage(reply, {
          status: 200,
          holdsToken: true,
          body: (
            <ConfirmLinkPage
              frame={frame}
              title="Confirm your new email address"
              lede={`Press the button to use ${email} for your account from now on.`}
              action="/account/email/verify"
              button="Use this address"
              token={req.query.token}
            />
          ),
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return linkRefused(reply, { frame, err });
      }
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    "/account/email/verify",
    { schema: { body: TokenBody }, onRequest },
    async (req, reply) => {
      reply.header("referrer-policy", "no-referrer").header("cache-control", "no-store");
      const signedIn = await members.findSignedInMember(deps, req.headers.cookie);
      if (signedIn?.setCookie) reply.header("set-cookie", signedIn.setCookie);
      try {
        const brand = brandOf(await deps.loadFrame("member"));
        await members.confirmEmailChange(deps, { token: req.body.token, signedIn, brand });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return linkRefused(reply, { frame: await deps.loadFrame(readerClassOf(deps, req)), err });
      }
      return reply.redirect("/account?notice=email-changed", 303);
    },
  );
}

/** The undo link sent to the address an account left: it needs no session, since it ends them all. */
function emailUndoRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/account/email/undo",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const frame = await deps.loadFrame(readerClassOf(deps, req));
      if (!(await members.isLinkUsable(deps, { token: req.query.token, purpose: "email-undo" }))) {
        return linkRefused(reply, { frame, err: members.undoLinkInvalid() });
      }
      return sendPersonalPage(reply, {
        status: 200,
        holdsToken: true,
        body: (
          <ConfirmLinkPage
            frame={frame}
            title="Undo the change of email address"
            lede="Press the button to give your account this address back. Every browser signed in to your account is signed out."
            action="/account/email/undo"
            button="Undo the change"
            token={req.query.token}
          />
        ),
      });
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    "/account/email/undo",
    { schema: { body: TokenBody }, onRequest },
    async (req, reply) => {
      reply.header("referrer-policy", "no-referrer").header("cache-control", "no-store");
      let restored: { email: string };
      try {
        restored = await members.undoEmailChange(deps, req.body.token);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return linkRefused(reply, { frame: await deps.loadFrame(readerClassOf(deps, req)), err });
      }
      reply.header("set-cookie", members.clearSessionCookie(deps));
      return sendPersonalPage(reply, {
        status: 200,
        holdsToken: true,
        body: <EmailRestoredPage frame={await deps.loadFrame("anon")} email={restored.email} />,
      });
    },
  );
}

/** The member's data: a copy to download, and deleting the account. */
function accountDataRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get("/account/export", { schema: { response: { 200: MemberExport } } }, async (req, reply) => {
    const member = await requireMember(deps, { req, reply, returnTo: "/account" });
    if (!member) return reply;
    reply
      .header("cache-control", "no-store")
      .header("content-disposition", 'attachment; filename="account-data.json"')
      .header("vary", "Cookie");
    return members.exportMemberData(deps, member);
  });

  app.get("/account/delete", async (req, reply) => {
    const member = await requireMember(deps, { req, reply, returnTo: "/account/delete" });
    if (!member) return reply;
    return sendPersonalPage(reply, {
      status: 200,
      body: <DeleteAccountPage frame={await deps.loadFrame("member")} member={member} />,
    });
  });

  app.post<{ Body: Static<typeof DeleteBody> }>(
    "/account/delete",
    { schema: { body: DeleteBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account/delete" });
      if (!member) return reply;
      // Nobody is charged after their account is gone: Stripe first, and if Stripe fails, nothing is deleted.
      await billing.cancelSubscriptionsOf(deps.billing, member.id);
      await members.deleteMember(deps, member.id);
      // The member's other browsers stop reading as signed in at once, in every process.
      await deps.invalidate([members.memberTag(member.id)]);
      reply.header("set-cookie", members.clearSessionCookie(deps));
      return sendPersonalPage(reply, {
        status: 200,
        body: <AccountDeletedPage frame={await deps.loadFrame("anon")} />,
      });
    },
  );
}

/** The account page, with the member's subscription and newsletter choices, and a message from the last form. */
async function sendAccountPage(
  deps: AccountDeps,
  { reply, member, status, message, askSignIn = false }: AccountPageInput,
): Promise<FastifyReply> {
  return sendPersonalPage(reply, {
    status,
    body: (
      <AccountPage
        frame={await deps.loadFrame(readerClassOfMember(member, deps.clock.now()))}
        member={member}
        subscription={await billing.subscriptionSummary(deps.billing, member.id)}
        canSubscribe={Boolean(deps.billing.stripe)}
        newsletters={
          await newsletters.listChoices(deps.db, {
            memberId: member.id,
            hasPaidAccess: readerClassOfMember(member, deps.clock.now()) === "subscriber",
          })
        }
        message={message}
        askSignIn={askSignIn}
      />
    ),
  });
}

function linkRefused(reply: FastifyReply, { frame, err }: { frame: SiteFrame; err: AppError }): FastifyReply {
  return sendPersonalPage(reply, {
    status: err.status,
    holdsToken: true,
    body: <LinkRefusedPage frame={frame} message={messageFor(err)} />,
  });
}
