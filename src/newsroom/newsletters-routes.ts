/** Newsletters (/admin/api/newsletters): editors make, change, order and archive what readers may choose. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type SchemaOptions, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import type { Tx } from "../db/index.js";
import * as newsletters from "../newsletters/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME, EMAIL, IdParams, UUID } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const literals = <T extends string>(values: readonly T[], options: SchemaOptions = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const NewsletterFields = {
  name: Type.String({ minLength: 1, maxLength: 80 }),
  slug: Type.String({ minLength: 1, maxLength: 120, description: "Its page: /newsletters/SLUG" }),
  description: Type.String({ maxLength: 500 }),
  senderName: OrNull(Type.String({ minLength: 1, maxLength: 80, description: "Null: the paper's title" })),
  senderEmail: OrNull({ ...EMAIL, description: "Null: the site's sending address (MAIL_FROM)" }),
  replyTo: OrNull(EMAIL),
  visibility: literals(newsletters.NEWSLETTER_VISIBILITIES, { description: "paid: subscribers only" }),
  isDefault: Type.Boolean({ description: "Chosen for every reader who registers" }),
  cadence: literals(newsletters.NEWSLETTER_CADENCES),
  sendHour: OrNull(Type.Integer({ minimum: 0, maximum: 23, description: "daily and weekly: site time zone" })),
  sendWeekday: OrNull(Type.Integer({ minimum: 0, maximum: 6, description: "weekly: 0 Sunday … 6 Saturday" })),
  sectionIds: Type.Array(UUID, {
    maxItems: 100,
    description: "daily and weekly: the sections its digest draws from; empty: every section",
  }),
  sortOrder: Type.Integer({ minimum: 0, maximum: 10_000 }),
};
const { name: _name, ...OptionalFields } = NewsletterFields;
const NewNewsletter = closed({ name: NewsletterFields.name, ...Type.Partial(Type.Object(OptionalFields)).properties });
const NewsletterChanges = closed(Type.Partial(Type.Object(NewsletterFields)).properties, { minProperties: 1 });

const NewsletterView = closed(
  {
    id: Type.String(),
    ...NewsletterFields,
    status: literals(newsletters.NEWSLETTER_STATUSES),
    subscribers: Type.Integer({ description: "Members who receive it now" }),
    pageUrl: Type.String(),
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
  { title: "Newsletter" },
);
const NewsletterEnvelope = closed({ newsletter: NewsletterView });
const SendBody = closed({ articleId: UUID });
const ReaderClass = literals(newsletters.READER_CLASSES, {
  description: "free: the paywall's preview and the call to subscribe; subscriber: the whole article",
});
const IssueQuery = closed({ articleId: UUID, reader: ReaderClass });
const TestSendBody = closed({ articleId: UUID, reader: ReaderClass });
const PreviewView = closed(
  { subject: Type.String(), html: Type.String(), text: Type.String() },
  { title: "NewsletterPreview" },
);
const SendView = closed(
  {
    id: Type.String(),
    newsletterId: Type.String(),
    kind: literals(newsletters.SEND_KINDS, { description: "article: one article; digest: the newest since the last" }),
    articleId: OrNull(Type.String()),
    period: OrNull(Type.String({ description: "A digest's day (YYYY-MM-DD, site time zone)" })),
    status: literals(newsletters.SEND_STATUSES, {
      description: "empty: a digest whose period had no articles; cancelled: stopped before all were queued",
    }),
    queued: Type.Integer({ description: "Messages queued so far, one per member receiving it" }),
    createdAt: DATE_TIME,
    finishedAt: Type.Union([DATE_TIME, Type.Null()]),
  },
  { title: "NewsletterSend" },
);

const SendReportView = closed(
  {
    ...SendView.properties,
    headlines: Type.Array(Type.String(), { description: "The article's headline, or each digest article's" }),
    suppressed: Type.Integer({ description: "Members passed over: their address is suppressed" }),
    withdrawn: Type.Integer({ description: "Messages taken back unsent when the send was cancelled" }),
    waiting: Type.Integer({ description: "Queued messages not yet delivered" }),
    delivered: Type.Integer({ description: "Accepted by the mail server" }),
    failed: Type.Integer({ description: "Refused for good by the mail server, or the address suppressed by then" }),
    unsubscribedAfter: Type.Integer({ description: "Members who left the newsletter after it, before the next" }),
    isCancellable: Type.Boolean({ description: "Members still being queued, or messages still waiting" }),
  },
  { title: "NewsletterSendReport" },
);
const SendParams = closed({ id: UUID, sendId: UUID });

export async function newslettersRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const change = <T>(work: (d: ChangeDeps) => Promise<T>) => changeWithPurge(deps, work);
  const view = (n: newsletters.Newsletter) => newsletterView(n, deps.publicUrl);

  api.get(
    "/newsletters",
    { schema: { response: { 200: closed({ newsletters: Type.Array(NewsletterView) }) } } },
    async (req) => {
      authorize(actorOf(req), "newsletters.manage", undefined);
      return { newsletters: (await newsletters.listNewsletters(deps.db)).map(view) };
    },
  );

  api.post(
    "/newsletters",
    { schema: { body: NewNewsletter, response: { 201: NewsletterEnvelope } } },
    async (req, reply) => {
      authorize(actorOf(req), "newsletters.manage", undefined);
      const created = await change((d) => newsletters.createNewsletter(d, req.body));
      return reply.code(201).send({ newsletter: view(created) });
    },
  );

  api.get("/newsletters/:id", { schema: { params: IdParams, response: { 200: NewsletterEnvelope } } }, async (req) => {
    authorize(actorOf(req), "newsletters.manage", undefined);
    return { newsletter: view(await newsletters.getNewsletter(deps.db, req.params.id)) };
  });

  api.patch(
    "/newsletters/:id",
    { schema: { params: IdParams, body: NewsletterChanges, response: { 200: NewsletterEnvelope } } },
    async (req) => {
      authorize(actorOf(req), "newsletters.manage", undefined);
      const saved = await change((d) => newsletters.changeNewsletter(d, { id: req.params.id, changes: req.body }));
      return { newsletter: view(saved) };
    },
  );

  for (const [path, act] of [
    ["archive", newsletters.archiveNewsletter],
    ["restore", newsletters.restoreNewsletter],
  ] as const) {
    api.post(
      `/newsletters/:id/${path}`,
      { schema: { params: IdParams, body: closed({}), response: { 200: NewsletterEnvelope } } },
      async (req) => {
        authorize(actorOf(req), "newsletters.manage", undefined);
        const saved = await change((d) => act(d, req.params.id));
        return { newsletter: view(saved) };
      },
    );
  }
  sendRoutes(app, deps);
}

/** Sending a published article as a newsletter: a job fans it out, one message per member receiving it. */
function sendRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    "/newsletters/:id/sends",
    { schema: { params: IdParams, body: SendBody, response: { 201: closed({ send: SendView }) } } },
    async (req, reply) => {
      const actor = actorOf(req);
      authorize(actor, "newsletters.send", undefined);
      const send = await newsletters.sendArticle(deps, {
        newsletterId: req.params.id,
        articleId: req.body.articleId,
        by: actor.id,
      });
      return reply.code(201).send({ send: sendView(send) });
    },
  );

  api.get(
    "/newsletters/sends",
    {
      schema: {
        querystring: closed({ articleId: UUID }),
        response: { 200: closed({ sends: Type.Array(SendView) }) },
      },
    },
    async (req) => {
      authorize(actorOf(req), "newsletters.send", undefined);
      return { sends: (await newsletters.listArticleSends(deps.db, req.query.articleId)).map(sendView) };
    },
  );
  reportRoutes(app, deps);
  issueRoutes(app, deps);
}

/** A newsletter's sends with what became of their messages; a send with messages still waiting can be stopped. */
function reportRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/newsletters/:id/sends",
    { schema: { params: IdParams, response: { 200: closed({ sends: Type.Array(SendReportView) }) } } },
    async (req) => {
      authorize(actorOf(req), "newsletters.send", undefined);
      return { sends: (await newsletters.listNewsletterSends(deps.db, req.params.id)).map(sendReportView) };
    },
  );
  api.post(
    "/newsletters/:id/sends/:sendId/cancel",
    { schema: { params: SendParams, body: closed({}), response: { 200: closed({ send: SendReportView }) } } },
    async (req) => {
      const actor = actorOf(req);
      // Who may send may stop a send.
      authorize(actor, "newsletters.send", undefined);
      const { id, sendId } = req.params;
      const report = await newsletters.cancelSend(deps, { newsletterId: id, sendId, by: actor.id });
      return { send: sendReportView(report) };
    },
  );
}

/** Before sending: the email as a reader class gets it, and a test to the signed-in staff member only. */
function issueRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/newsletters/:id/preview",
    { schema: { params: IdParams, querystring: IssueQuery, response: { 200: PreviewView } } },
    async (req) => {
      authorize(actorOf(req), "newsletters.send", undefined);
      return newsletters.previewIssue(deps, { newsletterId: req.params.id, ...req.query });
    },
  );

  api.post(
    "/newsletters/:id/test-sends",
    {
      schema: {
        params: IdParams,
        body: TestSendBody,
        response: { 202: closed({ to: Type.String(), subject: Type.String() }) },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      authorize(actor, "newsletters.send", undefined);
      const sent = await newsletters.sendTestIssue(deps, {
        newsletterId: req.params.id,
        ...req.body,
        to: actor.email,
      });
      return reply.code(202).send(sent);
    },
  );
}

const sendView = (send: newsletters.NewsletterSend) => ({
  id: send.id,
  newsletterId: send.newsletterId,
  kind: send.kind,
  articleId: send.articleId,
  period: send.period,
  status: send.status,
  queued: send.queued,
  createdAt: send.createdAt,
  finishedAt: send.finishedAt,
});

const sendReportView = (r: newsletters.SendReport) => ({
  ...sendView(r),
  headlines: r.headlines,
  suppressed: r.suppressed,
  withdrawn: r.withdrawn,
  waiting: r.waiting,
  delivered: r.delivered,
  failed: r.failed,
  unsubscribedAfter: r.unsubscribedAfter,
  isCancellable: r.isCancellable,
});

/** A newsletter as the newsroom shows it, with the address of its public page. */
function newsletterView(n: newsletters.Newsletter, publicUrl: string) {
  return {
    id: n.id,
    name: n.name,
    slug: n.slug,
    description: n.description,
    senderName: n.senderName,
    senderEmail: n.senderEmail,
    replyTo: n.replyTo,
    visibility: n.visibility,
    isDefault: n.isDefault,
    cadence: n.cadence,
    sendHour: n.sendHour,
    sendWeekday: n.sendWeekday,
    sectionIds: n.sectionIds,
    sortOrder: n.sortOrder,
    status: n.status,
    subscribers: n.subscribers,
    pageUrl: `${publicUrl}/newsletters/${n.slug}`,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}

type ChangeDeps = { db: Tx; clock: NewsroomDeps["clock"] };

/**
 * The Content API's list and the newsletters' pages are cached: any change drops them, here and at the edge, with
 * the edge's purge written in the change's own transaction.
 */
async function changeWithPurge<T>(deps: NewsroomDeps, work: (d: ChangeDeps) => Promise<T>): Promise<T> {
  const done = await deps.invalidator.commit(async (tx) => ({
    value: await work({ db: tx, clock: deps.clock }),
    invalidates: [content.cacheTags.site],
  }));
  return done.value;
}
