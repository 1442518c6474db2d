/** Readers (/admin/api/members): admins list, export, import, grant access to, cancel for and delete them. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import * as billing from "../billing/index.js";
import * as members from "../members/index.js";
import { NotFound } from "../shared/errors.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME, IdParams, parseTimeInput, TIME_INPUT } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const MembersQuery = closed({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  filter: Type.Optional(Type.Union(billing.MEMBER_FILTERS.map((f) => Type.Literal(f)))),
  sort: Type.Optional(Type.Union([Type.Literal("newest"), Type.Literal("oldest")])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
const MemberState = Type.Union(
  billing.MEMBER_FILTERS.map((f) => Type.Literal(f)),
  { description: "From a grant still running, else the newest subscription's status (billing's rule)" },
);
const MemberView = closed(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    createdAt: DATE_TIME,
    state: MemberState,
    currentPeriodEnd: Type.Union([DATE_TIME, Type.Null()]),
  },
  { title: "Member" },
);
const Moment = Type.Union([DATE_TIME, Type.Null()]);
const SubscriptionView = closed(
  {
    stripeSubscriptionId: Type.String(),
    status: Type.String({ description: "Stripe's word: active, trialing, past_due, canceled, unpaid…" }),
    interval: Type.Union([Type.String(), Type.Null()]),
    amount: Type.Union([Type.Integer({ description: "Minor units, before any offer" }), Type.Null()]),
    currency: Type.Union([Type.String(), Type.Null()]),
    currentPeriodStart: Moment,
    currentPeriodEnd: Moment,
    cancelAtPeriodEnd: Type.Boolean(),
    pastDueSince: Moment,
    trialStarted: Type.Boolean(),
    startedAt: DATE_TIME,
    endedAt: Moment,
    offer: Type.Union([closed({ id: Type.String(), code: Type.String(), name: Type.String() }), Type.Null()]),
  },
  { title: "Subscription" },
);
const MemberDetail = closed(
  {
    member: closed({
      id: Type.String(),
      email: Type.String(),
      name: Type.String(),
      createdAt: DATE_TIME,
      emailVerifiedAt: Moment,
    }),
    entitlement: closed({
      kind: Type.Union([Type.Literal("registered"), Type.Literal("subscriber"), Type.Literal("complimentary")]),
      until: Moment,
    }),
    state: MemberState,
    subscriptions: Type.Array(SubscriptionView),
    complimentary: Type.Union([closed({ until: Moment, note: Type.String(), grantedAt: DATE_TIME }), Type.Null()]),
    stripeEvents: Type.Array(
      closed({
        id: Type.String(),
        type: Type.String(),
        receivedAt: DATE_TIME,
        stripeSubscriptionId: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { title: "MemberDetail" },
);
const ImportBody = closed({ csv: Type.String({ minLength: 1, maxLength: 1_000_000 }) });
const ImportResult = closed({ created: Type.Integer(), existing: Type.Array(Type.String()) });
/** The usual error envelope; an import refused for its rows adds `rows`, every problem with its line. */
const ImportRefused = Type.Object({
  errors: Type.Array(
    Type.Object(
      {
        type: Type.String(),
        code: Type.String(),
        message: Type.String(),
        id: Type.String(),
        rows: Type.Optional(Type.Array(closed({ line: Type.Integer(), problem: Type.String() }))),
      },
      { additionalProperties: true },
    ),
  ),
});
const MAX_IMPORT_ROWS = 10_000;
const CancelBody = closed({
  atPeriodEnd: Type.Boolean({
    description:
      "True: it stops renewing and can still be resumed; false: it ends at Stripe now. Either way the reader keeps the period already paid for",
  }),
});
const GrantBody = closed({
  until: Type.Union([TIME_INPUT, Type.Null()]),
  note: Type.Optional(Type.String({ maxLength: 500 })),
});

export async function readersRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/members",
    {
      schema: {
        querystring: MembersQuery,
        response: {
          200: closed({
            members: Type.Array(MemberView),
            page: Type.Integer(),
            pages: Type.Integer(),
            total: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      authorize(actorOf(req), "members.read", undefined);
      const page = await billing.listMembers(deps.db, {
        ...(req.query.q ? { query: req.query.q } : {}),
        ...(req.query.filter ? { filter: req.query.filter } : {}),
        sort: req.query.sort ?? "newest",
        page: req.query.page ?? 1,
        now: deps.clock.now(),
      });
      return { members: page.items, page: page.page, pages: page.pages, total: page.total };
    },
  );

  api.get("/members/:id", { schema: { params: IdParams, response: { 200: MemberDetail } } }, async (req, reply) => {
    authorize(actorOf(req), "members.read", undefined);
    reply.header("cache-control", "no-store");
    return billing.getMemberDetail(deps.db, { id: req.params.id, now: deps.clock.now() });
  });

  api.get("/members.csv", async (req, reply) => {
    authorize(actorOf(req), "members.read", undefined);
    const day = deps.clock.now().toISOString().slice(0, 10);
    return reply
      .type("text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="readers-${day}.csv"`)
      .header("cache-control", "no-store")
      .send(await billing.membersCsv(deps.db, deps.clock.now()));
  });

  api.post(
    "/members/import",
    { schema: { body: ImportBody, response: { 200: ImportResult, 400: ImportRefused } }, bodyLimit: 1_100_000 },
    async (req, reply) => {
      authorize(actorOf(req), "members.grant", undefined);
      const checked = checkImport(req.body.csv);
      if ("problems" in checked) {
        // Every bad row is reported, and nothing is written until none is left.
        return reply.code(400).send({
          errors: [
            {
              type: "Invalid",
              code: "IMPORT_ROWS_INVALID",
              message: `${checked.problems.length} ${checked.problems.length === 1 ? "row has a problem" : "rows have problems"}; nothing was imported.`,
              rows: checked.problems,
              id: req.id,
            },
          ],
        });
      }
      return members.importMembers(deps.db, checked.rows, deps.clock.now());
    },
  );
}

/** What an admin does to a reader's access: complimentary grants, cancelling a paid subscription, deleting. */
export async function readerAccessRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.put(
    "/members/:id/complimentary",
    { schema: { params: IdParams, body: GrantBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      authorize(actorOf(req), "members.grant", undefined);
      await billing.grantComplimentary(deps.billing, {
        memberId: req.params.id,
        until: req.body.until ? parseTimeInput(req.body.until, "until") : null,
        note: req.body.note ?? `granted by ${actorOf(req).name}`,
      });
      return reply.code(204).send(null);
    },
  );

  api.delete(
    "/members/:id/complimentary",
    { schema: { params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      authorize(actorOf(req), "members.grant", undefined);
      await billing.endComplimentary(deps.billing, req.params.id);
      return reply.code(204).send(null);
    },
  );

  api.post(
    "/members/:id/cancel",
    { schema: { params: IdParams, body: CancelBody, response: { 204: Type.Null() } } },
    async (req, reply) => {
      authorize(actorOf(req), "members.cancel", undefined);
      await billing.cancelSubscriptionFor(deps.billing, { memberId: req.params.id, atPeriodEnd: req.body.atPeriodEnd });
      return reply.code(204).send(null);
    },
  );

  api.delete("/members/:id", { schema: { params: IdParams, response: { 204: Type.Null() } } }, async (req, reply) => {
    authorize(actorOf(req), "members.delete", undefined);
    if (!(await members.findMemberById(deps.db, req.params.id))) {
      throw new NotFound("MEMBER_NOT_FOUND", "There is no reader with that id");
    }
    // As when readers delete themselves: nobody is charged after the account is gone, so Stripe goes first.
    await billing.cancelSubscriptionsOf(deps.billing, req.params.id);
    await members.deleteMember(deps, req.params.id);
    await deps.invalidator.invalidate([members.memberTag(req.params.id)]);
    return reply.code(204).send(null);
  });
}

type ImportProblem = { line: number; problem: string };

/** The rows of an uploaded list (columns `email`, optional `name`), or every problem found in it. */
function checkImport(text: string): { rows: members.ImportedMember[] } | { problems: ImportProblem[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
    });
  } catch (err) {
    return { problems: [{ line: 0, problem: `This is not a CSV file we can read: ${(err as Error).message}` }] };
  }
  if (records.length === 0) return { problems: [{ line: 0, problem: "The file has no rows under its header." }] };
  if (!("email" in (records[0] ?? {})))
    return { problems: [{ line: 1, problem: "The header needs an email column." }] };
  if (records.length > MAX_IMPORT_ROWS) {
    return {
      problems: [{ line: 0, problem: `Import at most ${MAX_IMPORT_ROWS.toLocaleString("en")} rows at a time.` }],
    };
  }
  const problems: ImportProblem[] = [];
  const rows: members.ImportedMember[] = [];
  const seen = new Map<string, number>();
  records.forEach((record, i) => {
    const line = i + 2;
    const name = record.name ?? "";
    let email: string;
    try {
      email = members.normalizeEmail(record.email ?? "");
    } catch {
      problems.push({ line, problem: `"${(record.email ?? "").slice(0, 80)}" is not an email address.` });
      return;
    }
    if (seen.has(email)) problems.push({ line, problem: `${email} is already on line ${seen.get(email)}.` });
    else if (name.length > 120) problems.push({ line, problem: "The name is longer than 120 characters." });
    else {
      seen.set(email, line);
      rows.push({ email, name });
    }
  });
  return problems.length > 0 ? { problems } : { rows };
}
