/** /admin/api/session, password resets, invitations, staff roles and deactivation, and two-factor sign-in. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../../content/index.js";
import { withTransaction } from "../../db/index.js";
import { type Brand, listOutbox } from "../../email/index.js";
import { Conflict } from "../../shared/errors.js";
import { actorOf, authorize } from "../api-guard.js";
import {
  ColleagueView,
  closed,
  DATE_TIME,
  EMAIL,
  IdParams,
  InvitationView,
  PASSWORD,
  Role,
  StaffEnvelope,
  TOKEN,
  UUID,
} from "../api-schema.js";
import type { NewsroomDeps } from "../newsroom-deps.js";
import { can } from "../policy.js";
import { profileRoutes } from "./profile-routes.js";
import {
  acceptInvitation,
  completePasswordReset,
  inviteStaff,
  listInvitations,
  requestPasswordReset,
} from "./staff-links.js";
import { clearStaffCookie, endAllStaffSessions, endStaffSession, startStaffSession } from "./staff-sessions.js";
import { signInStaff } from "./staff-sign-in.js";
import { beginTwoFactor, confirmTwoFactor, disableTwoFactor, hasTwoFactor } from "./two-factor.js";

const CODE = Type.String({ pattern: "^[0-9]{6}$" });
const SignInBody = closed({ email: Type.String({ maxLength: 320 }), password: PASSWORD, code: Type.Optional(CODE) });
const ResetRequestBody = closed({ email: EMAIL });
const ResetBody = closed({ token: TOKEN, password: PASSWORD });
const InviteBody = closed({ email: EMAIL, role: Role });
const AcceptBody = closed({ token: TOKEN, name: Type.String({ minLength: 1, maxLength: 120 }), password: PASSWORD });
const RoleBody = closed({ role: Role });
const CodeBody = closed({ code: CODE });
const Accepted = closed({ message: Type.String() });
const OUTBOX_SHOWN = 50;

async function brandOf(deps: Pick<NewsroomDeps, "db" | "publicUrl">): Promise<Brand> {
  const settings = await content.getSettings(deps.db);
  return {
    title: settings.title,
    accentColor: settings.accentColor,
    language: settings.language,
    publicUrl: deps.publicUrl,
  };
}

/** Routes open without a session: signing in, asking for and using a reset link, accepting an invitation. */
export async function publicAuthRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.post("/session", { schema: { body: SignInBody, response: { 200: StaffEnvelope } } }, async (req, reply) => {
    const { staff, setCookie } = await signInStaff(deps, { ...req.body, ip: req.ip });
    reply.header("set-cookie", setCookie).header("cache-control", "no-store");
    return { staff };
  });

  api.post(
    "/password-reset",
    { schema: { body: ResetRequestBody, response: { 202: Accepted } } },
    async (req, reply) => {
      await requestPasswordReset(deps, { email: req.body.email, brand: await brandOf(deps) });
      return reply.code(202).send({
        message: `If ${req.body.email} belongs to a newsroom account, a link to choose a new password is on its way.`,
      });
    },
  );

  api.post(
    "/password-reset/complete",
    { schema: { body: ResetBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await completePasswordReset(deps, req.body);
      return reply.code(204).send(null);
    },
  );

  api.post(
    "/invitations/accept",
    { schema: { body: AcceptBody, response: { 201: StaffEnvelope } } },
    async (req, reply) => {
      const { id } = await acceptInvitation(deps, req.body);
      reply.header("set-cookie", await startStaffSession(deps, deps.db, id)).header("cache-control", "no-store");
      return reply.code(201).send({ staff: await content.getStaffById(deps.db, id) });
    },
  );
}

/** Routes for the signed-in: registered behind requireStaff. */
export async function staffAuthRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  ownSessionRoutes(app, deps);
  staffRosterRoutes(app, deps);
  invitationRoutes(app, deps);
  outboxRoutes(app, deps);
  profileRoutes(app, deps);
  twoFactorRoutes(app, deps);
}

/** One's own session: who is signed in, signing out here or everywhere. */
function ownSessionRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/session", { schema: { response: { 200: StaffEnvelope } } }, async (req, reply) => {
    reply.header("cache-control", "no-store");
    return { staff: actorOf(req) };
  });

  api.delete("/session", { schema: { response: { 204: Type.Null() } } }, async (req, reply) => {
    const setCookie = await endStaffSession(deps, req.staffSessionHash ?? "");
    return reply.code(204).header("set-cookie", setCookie).send(null);
  });

  api.post(
    "/session/sign-out-everywhere",
    { schema: { body: closed({}), response: { 204: Type.Null() } } },
    async (req, reply) => {
      await endAllStaffSessions(deps.db, actorOf(req).id);
      return reply.code(204).header("set-cookie", clearStaffCookie(deps)).send(null);
    },
  );
}

/** The staff list, roles, deactivation and ownership: what one may do to colleagues. */
function staffRosterRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/staff", { schema: { response: { 200: closed({ staff: Type.Array(ColleagueView) }) } } }, async (req) => {
    const actor = actorOf(req);
    authorize(actor, "staff.list", undefined);
    const staff = await content.listStaff(deps.db);
    if (can(actor, "staff.read-details", undefined)) return { staff };
    return { staff: staff.map(({ id, name }) => ({ id, name })) };
  });

  api.put(
    "/staff/:id/role",
    { schema: { params: IdParams, body: RoleBody, response: { 200: StaffEnvelope } } },
    async (req) => {
      const actor = actorOf(req);
      const target = await content.getStaffById(deps.db, req.params.id);
      authorize(actor, "staff.change-role", { from: target.role, to: req.body.role });
      await content.changeStaffRole(deps.db, { id: target.id, role: req.body.role });
      return { staff: await content.getStaffById(deps.db, target.id) };
    },
  );

  for (const [path, isActive] of [
    ["deactivate", false],
    ["reactivate", true],
  ] as const) {
    api.post(
      `/staff/:id/${path}`,
      { schema: { params: IdParams, body: closed({}), response: { 200: StaffEnvelope } } },
      async (req) => {
        const actor = actorOf(req);
        const target = await content.getStaffById(deps.db, req.params.id);
        authorize(actor, "staff.deactivate", { role: target.role });
        if (target.id === actor.id) {
          throw new Conflict("CANNOT_DEACTIVATE_SELF", "You cannot switch off your own account", {
            help: "Ask another admin",
          });
        }
        // One transaction: the account is off and every one of its sessions gone, or neither.
        const staff = await withTransaction(deps.db, async (tx) => {
          const changed = await content.setStaffActive(tx, { id: target.id, isActive, at: deps.clock.now() });
          if (!isActive) await endAllStaffSessions(tx, target.id);
          return changed;
        });
        return { staff };
      },
    );
  }

  api.post(
    "/ownership",
    { schema: { body: closed({ staffId: UUID }), response: { 200: StaffEnvelope } } },
    async (req) => {
      const actor = actorOf(req);
      authorize(actor, "ownership.transfer", undefined);
      await content.transferOwnership(deps.db, { fromId: actor.id, toId: req.body.staffId });
      return { staff: await content.getStaffById(deps.db, req.body.staffId) };
    },
  );
}

/** Invitations waiting, and inviting someone. */
function invitationRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/invitations",
    { schema: { response: { 200: closed({ invitations: Type.Array(InvitationView) }) } } },
    async (req) => {
      authorize(actorOf(req), "invitation.list", undefined);
      return { invitations: await listInvitations(deps) };
    },
  );

  api.post(
    "/invitations",
    { schema: { body: InviteBody, response: { 201: closed({ invitation: InvitationView }) } } },
    async (req, reply) => {
      const actor = actorOf(req);
      authorize(actor, "staff.invite", { role: req.body.role });
      const invitation = await inviteStaff(deps, { inviter: actor, ...req.body, brand: await brandOf(deps) });
      return reply.code(201).send({ invitation });
    },
  );
}

/** Which way mail goes (SMTP or the outbox), and the newest messages kept in the outbox. */
function outboxRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/outbox",
    {
      schema: {
        response: {
          200: closed({
            mode: Type.Union([Type.Literal("smtp"), Type.Literal("outbox")]),
            messages: Type.Array(
              closed({
                id: Type.String(),
                to: Type.String(),
                subject: Type.String(),
                text: Type.String(),
                createdAt: DATE_TIME,
              }),
            ),
          }),
        },
      },
    },
    async (req, reply) => {
      authorize(actorOf(req), "outbox.read", undefined);
      reply.header("cache-control", "no-store");
      return { mode: deps.mailer.mode, messages: await listOutbox(deps.db, OUTBOX_SHOWN) };
    },
  );
}

/** One's own byline. */
/** One's own two-factor sign-in: whether it is on, setting it up, confirming, turning it off. */
function twoFactorRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/two-factor", { schema: { response: { 200: closed({ enabled: Type.Boolean() }) } } }, async (req, reply) => {
    reply.header("cache-control", "no-store");
    return { enabled: await hasTwoFactor(deps.db, actorOf(req).id) };
  });

  api.post(
    "/two-factor",
    { schema: { body: closed({}), response: { 201: closed({ secret: Type.String(), uri: Type.String() }) } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const setup = await beginTwoFactor(deps, {
        staffId: actor.id,
        email: actor.email,
        issuer: (await brandOf(deps)).title,
      });
      return reply.code(201).header("cache-control", "no-store").send(setup);
    },
  );

  api.post(
    "/two-factor/confirm",
    { schema: { body: CodeBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await confirmTwoFactor(deps, { staffId: actorOf(req).id, code: req.body.code });
      return reply.code(204).send(null);
    },
  );

  api.post(
    "/two-factor/disable",
    { schema: { body: CodeBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await disableTwoFactor(deps, { staffId: actorOf(req).id, code: req.body.code });
      return reply.code(204).send(null);
    },
  );
}
