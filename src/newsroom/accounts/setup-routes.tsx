/** The one-time owner setup page, reached through the link printed on first start. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import type { Db } from "../../db/index.js";
import type { Clock } from "../../shared/clock.js";
import { AppError } from "../../shared/errors.js";
import { rejectCrossSite } from "../api-guard.js";
import { sendAdminPage } from "./admin-page.js";
import { completeOwnerSetup, isSetupTokenValid } from "./owner-setup.js";

export type SetupDeps = { db: Db; clock: Clock; stylesheet: string; publicUrl: string };

const SetupQuery = Type.Object({ token: Type.String({ minLength: 20, maxLength: 100 }) });
const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 20, maxLength: 100 }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    email: Type.String({ minLength: 3, maxLength: 254, format: "email" }),
    password: Type.String({ minLength: 10, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

const TITLE = "Set up the owner account";

function send(reply: FastifyReply, status: number, stylesheet: string, body: ComponentChildren): FastifyReply {
  return sendAdminPage(reply, { status, title: TITLE, stylesheet, body });
}

export async function setupRoutes(app: FastifyInstance, deps: SetupDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof SetupQuery> }>(
    "/admin/setup",
    { schema: { querystring: SetupQuery } },
    async (req, reply) => {
      if (!(await isSetupTokenValid(deps, req.query.token))) {
        return send(
          reply,
          404,
          deps.stylesheet,
          <p class="error-message">This setup link has expired or was already used.</p>,
        );
      }
      return send(
        reply,
        200,
        deps.stylesheet,
        <>
          <h1>{TITLE}</h1>
          <p>
            The owner runs the site: settings, staff, plans and payments. You can invite the rest of the newsroom later.
          </p>
          <form method="post" action="/admin/setup" class="form">
            <input type="hidden" name="token" value={req.query.token} />
            <label>
              Your name
              <input name="name" required maxLength={120} autoComplete="name" />
            </label>
            <label>
              Email
              <input name="email" type="email" required autoComplete="email" />
            </label>
            <label>
              Password (at least 10 characters and hard to guess: a few unrelated words will do)
              <input name="password" type="password" required minLength={10} autoComplete="new-password" />
            </label>
            <button type="submit">Create the owner account</button>
          </form>
        </>,
      );
    },
  );

  const onRequest = async (req: FastifyRequest) => rejectCrossSite(req, deps.publicUrl);
  app.post<{ Body: Static<typeof SetupBody> }>(
    "/admin/setup",
    { schema: { body: SetupBody }, onRequest },
    async (req, reply) => {
      try {
        await completeOwnerSetup(deps, req.body);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return send(reply, err.status, deps.stylesheet, <p class="error-message">{err.message}</p>);
      }
      return send(
        reply,
        201,
        deps.stylesheet,
        <>
          <h1>The owner account is ready</h1>
          <p>
            {req.body.email} now owns this site. <a href="/">Go to the front page</a>.
          </p>
        </>,
      );
    },
  );
}
