/** The pages emailed staff links open: accept an invitation (name and password), choose a new password. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import { AppError } from "../../shared/errors.js";
import { rejectCrossSite } from "../api-guard.js";
import { TOKEN } from "../api-schema.js";
import { sendAdminPage } from "./admin-page.js";
import { MIN_PASSWORD_LENGTH } from "./passwords.js";
import { acceptInvitation, completePasswordReset, isStaffLinkUsable, type StaffLinkDeps } from "./staff-links.js";
import { startStaffSession } from "./staff-sessions.js";

export type LinkPageDeps = Omit<StaffLinkDeps, "mailer"> & { stylesheet: string };

const TokenQuery = Type.Object({ token: TOKEN }, { additionalProperties: false });
const InvitationForm = Type.Object(
  { token: TOKEN, name: Type.String({ maxLength: 120 }), password: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false },
);
const ResetForm = Type.Object(
  { token: TOKEN, password: Type.String({ maxLength: 1000 }) },
  { additionalProperties: false },
);

const LINK_GONE = <p class="error-message">This link has expired or was already used. Ask for a new one.</p>;

function PasswordField() {
  return (
    <label>
      Password (at least {MIN_PASSWORD_LENGTH} characters and hard to guess: a few unrelated words will do)
      <input name="password" type="password" required minLength={MIN_PASSWORD_LENGTH} autoComplete="new-password" />
    </label>
  );
}

function InvitationPage(props: { token: string; error?: string }) {
  return (
    <>
      <h1>Join the newsroom</h1>
      {props.error ? <p class="error-message">{props.error}</p> : null}
      <form method="post" action="/admin/invitation" class="form">
        <input type="hidden" name="token" value={props.token} />
        <label>
          Your name, as readers will see it
          <input name="name" required maxLength={120} autoComplete="name" />
        </label>
        <PasswordField />
        <button type="submit">Create my account</button>
      </form>
    </>
  );
}

function ResetPage(props: { token: string; error?: string }) {
  return (
    <>
      <h1>Choose a new password</h1>
      {props.error ? <p class="error-message">{props.error}</p> : null}
      <form method="post" action="/admin/reset-password" class="form">
        <input type="hidden" name="token" value={props.token} />
        <PasswordField />
        <button type="submit">Save the new password</button>
      </form>
    </>
  );
}

export async function linkPages(app: FastifyInstance, deps: LinkPageDeps): Promise<void> {
  invitationPages(app, deps);
  passwordResetPages(app, deps);
}

/** A page in the newsroom's design, and the cross-site check every form post here passes first. */
function linkPageParts(deps: LinkPageDeps) {
  return {
    page: (reply: FastifyReply, status: number, title: string, body: ComponentChildren) =>
      sendAdminPage(reply, { status, title, stylesheet: deps.stylesheet, body }),
    onRequest: async (req: FastifyRequest) => rejectCrossSite(req, deps.publicUrl),
  };
}

function invitationPages(app: FastifyInstance, deps: LinkPageDeps): void {
  const { page, onRequest } = linkPageParts(deps);
  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/admin/invitation",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const isUsable = await isStaffLinkUsable(deps, { token: req.query.token, purpose: "invitation" });
      if (!isUsable) return page(reply, 404, "Join the newsroom", LINK_GONE);
      return page(reply, 200, "Join the newsroom", <InvitationPage token={req.query.token} />);
    },
  );

  app.post<{ Body: Static<typeof InvitationForm> }>(
    "/admin/invitation",
    { schema: { body: InvitationForm }, onRequest },
    async (req, reply) => {
      try {
        const { id } = await acceptInvitation(deps, req.body);
        reply.header("set-cookie", await startStaffSession(deps, deps.db, id));
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return page(
          reply,
          err.status,
          "Join the newsroom",
          <InvitationPage token={req.body.token} error={err.message} />,
        );
      }
      return page(
        reply,
        201,
        "Welcome to the newsroom",
        <>
          <h1>Welcome to the newsroom</h1>
          <p>
            Your account is ready and you are signed in. <a href="/admin">Open the newsroom</a>.
          </p>
        </>,
      );
    },
  );
}

function passwordResetPages(app: FastifyInstance, deps: LinkPageDeps): void {
  const { page, onRequest } = linkPageParts(deps);
  app.get<{ Querystring: Static<typeof TokenQuery> }>(
    "/admin/reset-password",
    { schema: { querystring: TokenQuery } },
    async (req, reply) => {
      const isUsable = await isStaffLinkUsable(deps, { token: req.query.token, purpose: "password-reset" });
      if (!isUsable) return page(reply, 404, "Choose a new password", LINK_GONE);
      return page(reply, 200, "Choose a new password", <ResetPage token={req.query.token} />);
    },
  );

  app.post<{ Body: Static<typeof ResetForm> }>(
    "/admin/reset-password",
    { schema: { body: ResetForm }, onRequest },
    async (req, reply) => {
      try {
        await completePasswordReset(deps, req.body);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return page(
          reply,
          err.status,
          "Choose a new password",
          <ResetPage token={req.body.token} error={err.message} />,
        );
      }
      return page(
        reply,
        200,
        "Password changed",
        <>
          <h1>Your password is changed</h1>
          <p>
            Every browser that was signed in to your account is now signed out. <a href="/admin">Sign in again</a>.
          </p>
        </>,
      );
    },
  );
}
