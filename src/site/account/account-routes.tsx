/** /account: name, email change, data export and deletion, for the signed-in member only. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import * as billing from "../../billing/index.js";
import * as members from "../../members/index.js";
import { AppError } from "../../shared/errors.js";
import { readerClassOf } from "../reader.js";
import {
  ACCOUNT_NOTICES,
  AccountDeletedPage,
  type AccountNotice,
  AccountPage,
  DeleteAccountPage,
} from "./account-views.js";
import {
  type AccountDeps,
  brandOf,
  messageFor,
  readerClassOfMember,
  rejectCrossSiteForm,
  requireMember,
  sendPersonalPage,
  TokenBody,
  TokenQuery,
  tooManyLinksMessage,
} from "./pages.js";
import { ConfirmLinkPage, type FormMessage, SignInPage } from "./sign-in-views.js";

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

export async function accountRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);
  const accountPage = async (
    reply: FastifyReply,
    member: members.Member,
    status: number,
    message: FormMessage | undefined,
  ) =>
    sendPersonalPage(reply, {
      status,
      body: (
        <AccountPage
          frame={await deps.loadFrame(readerClassOfMember(member, deps.clock.now()))}
          member={member}
          subscription={await billing.subscriptionSummary(deps.billing, member.id)}
          canSubscribe={Boolean(deps.billing.stripe)}
          message={message}
        />
      ),
    });

  app.get<{ Querystring: Static<typeof AccountQuery> }>(
    "/account",
    { schema: { querystring: AccountQuery } },
    async (req, reply) => {
      const member = await requireMember(deps, req, reply, "/account");
      if (!member) return reply;
      const notice = req.query.notice as AccountNotice | undefined;
      return accountPage(reply, member, 200, notice && { kind: "notice", text: ACCOUNT_NOTICES[notice] });
    },
  );

  app.post<{ Body: Static<typeof NameBody> }>(
    "/account/name",
    { schema: { body: NameBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, req, reply, "/account");
      if (!member) return reply;
      await members.renameMember(deps, { id: member.id, name: req.body.name });
      return reply.redirect("/account?notice=name-saved", 303);
    },
  );

  app.post<{ Body: Static<typeof EmailBody> }>(
    "/account/email",
    { schema: { body: EmailBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, req, reply, "/account");
      if (!member) return reply;
      try {
        const brand = brandOf(await deps.loadFrame("member"));
        const result = await members.requestEmailChange(deps, { member, email: req.body.email, ip: req.ip, brand });
        if (result.kind === "limited") {
          reply.header("retry-after", String(result.retryAfterSeconds));
          return accountPage(reply, member, 429, tooManyLinksMessage(result.retryAfterSeconds));
        }
        if (result.kind === "unchanged") {
          return accountPage(reply, member, 200, { kind: "notice", text: "That is already your email address." });
        }
        return reply.redirect("/account?notice=email-link-sent", 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return accountPage(reply, member, err.status, messageFor(err));
      }
    },
  );

  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/account/email/verify",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const usable = await members.isLinkUsable(deps, { token: req.query.token, purpose: "email-change" });
      const frame = await deps.loadFrame(readerClassOf(deps, req));
      return sendPersonalPage(reply, {
        status: usable ? 200 : 400,
        holdsToken: true,
        body: usable ? (
          <ConfirmLinkPage
            frame={frame}
            title="Confirm your new email address"
            lede="Press the button to use this address for your account from now on."
            action="/account/email/verify"
            button="Use this address"
            token={req.query.token}
          />
        ) : (
          <SignInPage frame={frame} next="/account" message={linkExpired()} />
        ),
      });
    },
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    "/account/email/verify",
    { schema: { body: TokenBody }, onRequest },
    async (req, reply) => {
      reply.header("referrer-policy", "no-referrer").header("cache-control", "no-store");
      try {
        await members.confirmEmailChange(deps, req.body.token);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const frame = await deps.loadFrame(readerClassOf(deps, req));
        return sendPersonalPage(reply, {
          status: err.status,
          holdsToken: true,
          body: <SignInPage frame={frame} next="/account" message={messageFor(err)} />,
        });
      }
      return reply.redirect("/account?notice=email-changed", 303);
    },
  );

  app.get("/account/export", { schema: { response: { 200: MemberExport } } }, async (req, reply) => {
    const member = await requireMember(deps, req, reply, "/account");
    if (!member) return reply;
    reply
      .header("cache-control", "no-store")
      .header("content-disposition", 'attachment; filename="account-data.json"')
      .header("vary", "Cookie");
    return members.exportMemberData(deps, member);
  });

  app.get("/account/delete", async (req, reply) => {
    const member = await requireMember(deps, req, reply, "/account/delete");
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
      const member = await requireMember(deps, req, reply, "/account/delete");
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

function linkExpired(): FormMessage {
  return { kind: "error", text: "This link has expired or was already used." };
}
