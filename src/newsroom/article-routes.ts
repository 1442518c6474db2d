/** /admin/api/articles: list, read, create, edit (with version checks), revisions and the workflow. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { CacheInvalidator } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Queryable, Tx } from "../db/index.js";
import { Conflict } from "../shared/errors.js";
import { actorOf, authorize, authorizeByline } from "./api-guard.js";
import {
  ArticleEnvelope,
  ArticleFields,
  ArticleSummary,
  ConflictEnvelope,
  CorrectionKind,
  CorrectionView,
  closed,
  DATE_TIME,
  IdParams,
  Kind,
  parseTimeInput,
  Status,
  TIME_INPUT,
  UUID,
  WorkflowAnswer,
} from "./api-schema.js";
import { createOnce, parseIdempotencyKey } from "./idempotency-keys.js";
import type { NewsroomDeps } from "./newsroom-deps.js";
import { type Actor, type ArticleAction, can } from "./policy.js";

const ListQuery = closed({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  status: Type.Optional(Status),
  sectionId: Type.Optional(UUID),
  authorId: Type.Optional(UUID),
  kind: Type.Optional(Kind),
  sort: Type.Optional(Type.Union(content.NEWSROOM_SORTS.map((s) => Type.Literal(s)))),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const ArticleList = closed({
  articles: Type.Array(ArticleSummary),
  meta: closed({ page: Type.Integer(), pages: Type.Integer(), total: Type.Integer(), perPage: Type.Integer() }),
});
const CreateBody = closed({ ...ArticleFields.properties, slug: Type.Optional(Type.String({ maxLength: 120 })) });
const CreateHeaders = Type.Object({
  "idempotency-key": Type.Optional(
    Type.String({
      description:
        "1 to 200 printable ASCII characters. A retry with the same key within 24 hours gets the first answer " +
        "(header Idempotent-Replayed: true) instead of a second article; the same key with another body is a 409",
    }),
  ),
});
const EditBody = closed({ baseVersion: Type.Integer({ minimum: 1 }), fields: ArticleFields });
const RevisionParams = closed({ id: UUID, version: Type.Integer({ minimum: 1 }) });
const CompareQuery = closed({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) });
const RevisionView = closed(
  {
    version: Type.Integer(),
    savedBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: DATE_TIME,
  },
  { title: "Revision" },
);
const FieldsAt = closed({ version: Type.Integer(), fields: ArticleFields });
const PublishBody = closed({ at: Type.Optional(TIME_INPUT) });
const CorrectionBody = closed({ kind: CorrectionKind, note: Type.String({ minLength: 1, maxLength: 2000 }) });
const SlugBody = closed({ slug: Type.String({ minLength: 1, maxLength: 120 }) });
const Empty = closed({});
const DEFAULT_PER_PAGE = 20;
/** Long enough to send to a colleague and look at together; short enough that a forwarded link soon dies. */
const PREVIEW_LINK_MINUTES = 60;
const PreviewLinks = closed({
  previewLinks: closed({
    anonymous: Type.String({
      description: "The article as a reader without an account sees it (never the gated part)",
    }),
    subscriber: Type.String({ description: "The article as a subscriber sees it" }),
    expiresAt: DATE_TIME,
  }),
});

export async function articleRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const kit = articleRouteKit(deps);
  articleRecordRoutes(app, kit);
  revisionRoutes(app, kit);
  workflowRoutes(app, kit);
}

type ArticleRouteKit = ReturnType<typeof articleRouteKit>;

/** What the article routes share: the policy check, the article's detail, a save's answer, committing a change. */
function articleRouteKit(deps: NewsroomDeps) {
  /** The article's authors and status, checked against the policy before anything else is read or written. */
  const allow = async (actor: Actor, action: ArticleAction, id: string) => {
    const article = await content.getNewsroomArticle(deps.db, id);
    authorize(actor, action, { authorIds: idsOf(article.authors), status: article.status });
    return article;
  };

  /** Below editor, a save may not change whether the article is featured. */
  const checkFlags = (actor: Actor, fields: content.ArticleFields, current: content.ArticleFields | undefined) => {
    if ((fields.isFeatured ?? false) !== (current?.isFeatured ?? false)) {
      authorize(actor, "article.flag", undefined);
    }
  };

  const detail = async (id: string, db: Queryable = deps.db) => {
    const article = await content.getNewsroomArticle(db, id);
    const corrections = await content.listCorrections(db, [id]);
    return {
      article: {
        ...article,
        fields: await content.readArticleFields(db, id),
        corrections: corrections.get(id) ?? [],
      },
    };
  };

  const saved = async (
    reply: FastifyReply,
    result: content.EditArticleResult,
    yours: { baseVersion: number; fields: Static<typeof ArticleFields> },
    id: string,
  ) => {
    if (result.kind === "conflict") {
      const { version, ...fields } = result.current;
      throw new Conflict(
        "VERSION_CONFLICT",
        `Someone saved this article (version ${version}) after the version you edited (${yours.baseVersion})`,
        {
          property: "baseVersion",
          help: "Compare the two versions, then save again from the current one",
          alongside: { current: { version, fields }, yours },
        },
      );
    }
    return reply.code(200).send(await detail(id));
  };
  // Every change below commits through the invalidator: the edge's purge is written in the change's transaction.
  // Read at call time: describing the API (npm run api:types) registers the routes without their dependencies.
  const commit: CacheInvalidator["commit"] = (change) => deps.invalidator.commit(change);
  const editArticle = async (input: content.EditArticleInput) =>
    (
      await commit(async (tx) => {
        const result = await content.editArticle({ ...deps, db: tx }, input);
        return { result, invalidates: result.kind === "saved" ? result.invalidates : [] };
      })
    ).result;

  return { deps, allow, checkFlags, detail, saved, commit, editArticle };
}

/** The list, making an article (once per Idempotency-Key), reading, saving and re-addressing one. */
function articleRecordRoutes(app: FastifyInstance, kit: ArticleRouteKit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, allow, checkFlags, detail, saved, commit, editArticle } = kit;

  api.get("/articles", { schema: { querystring: ListQuery, response: { 200: ArticleList } } }, async (req) => {
    const actor = actorOf(req);
    authorize(actor, "article.list", undefined);
    const perPage = req.query.perPage ?? DEFAULT_PER_PAGE;
    // Below editor, a list shows one's own articles and published ones: the same rule as reading one.
    const visibleTo = can(actor, "article.read", { authorIds: [], status: "draft" }) ? undefined : actor.id;
    const page = await content.listNewsroomArticles(deps.db, {
      ...req.query,
      page: req.query.page ?? 1,
      perPage,
      visibleTo,
    });
    return { articles: page.items, meta: { page: page.page, pages: page.pages, total: page.total, perPage } };
  });

  api.post(
    "/articles",
    { schema: { headers: CreateHeaders, body: CreateBody, response: { 201: ArticleEnvelope } } },
    async (req, reply) => {
      const actor = actorOf(req);
      authorize(actor, "article.create", undefined);
      // Whoever creates an article must be able to edit it: contributors and authors put themselves on it.
      authorizeByline(actor, { before: [], after: req.body.authorIds });
      authorize(actor, "article.edit", { authorIds: req.body.authorIds, status: "draft" });
      checkFlags(actor, req.body, undefined);
      const key = parseIdempotencyKey(req.headers["idempotency-key"]);
      if (key === undefined) {
        const { id } = await content.createArticle(deps, { ...req.body, by: actor.id });
        return reply.code(201).send(await detail(id));
      }
      return sendCreatedOnce(kit, { reply, key, staffId: actor.id, body: req.body });
    },
  );

  api.get("/articles/:id", { schema: { params: IdParams, response: { 200: ArticleEnvelope } } }, async (req) => {
    await allow(actorOf(req), "article.read", req.params.id);
    return detail(req.params.id);
  });

  api.put(
    "/articles/:id",
    { schema: { params: IdParams, body: EditBody, response: { 200: ArticleEnvelope, 409: ConflictEnvelope } } },
    async (req, reply) => {
      const actor = actorOf(req);
      const article = await allow(actor, "article.edit", req.params.id);
      authorizeByline(actor, { before: idsOf(article.authors), after: req.body.fields.authorIds });
      checkFlags(actor, req.body.fields, await content.readArticleFields(deps.db, req.params.id));
      const result = await editArticle({
        id: req.params.id,
        baseVersion: req.body.baseVersion,
        fields: req.body.fields,
        by: actor.id,
      });
      return saved(reply, result, req.body, req.params.id);
    },
  );

  api.put(
    "/articles/:id/slug",
    { schema: { params: IdParams, body: SlugBody, response: { 200: ArticleEnvelope } } },
    async (req) => {
      await allow(actorOf(req), "article.edit", req.params.id);
      await commit((tx) =>
        content.changeSlug({ ...deps, db: tx }, { owner: "article", id: req.params.id, slug: req.body.slug }),
      );
      return detail(req.params.id);
    },
  );
}

/** An article's revisions: listed, compared field by field, read, and restored as a new version. */
function revisionRoutes(app: FastifyInstance, kit: ArticleRouteKit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, allow, checkFlags, saved, editArticle } = kit;

  api.get(
    "/articles/:id/revisions",
    { schema: { params: IdParams, response: { 200: closed({ revisions: Type.Array(RevisionView) }) } } },
    async (req) => {
      await allow(actorOf(req), "article.read", req.params.id);
      return { revisions: await content.listRevisions(deps.db, req.params.id) };
    },
  );

  api.get(
    "/articles/:id/revisions/compare",
    {
      schema: {
        params: IdParams,
        querystring: CompareQuery,
        response: { 200: closed({ from: FieldsAt, to: FieldsAt, changed: Type.Array(Type.String()) }) },
      },
    },
    async (req) => {
      await allow(actorOf(req), "article.read", req.params.id);
      const at = async (version: number) => ({
        version,
        fields: await content.getRevision(deps.db, { articleId: req.params.id, version }),
      });
      const [from, to] = [await at(req.query.from), await at(req.query.to)];
      const keys = [
        ...new Set([...Object.keys(from.fields), ...Object.keys(to.fields)]),
      ] as (keyof content.ArticleFields)[];
      const changed = keys.filter((k) => JSON.stringify(from.fields[k]) !== JSON.stringify(to.fields[k]));
      return { from, to, changed };
    },
  );

  api.get(
    "/articles/:id/revisions/:version",
    { schema: { params: RevisionParams, response: { 200: FieldsAt } } },
    async (req) => {
      await allow(actorOf(req), "article.read", req.params.id);
      const fields = await content.getRevision(deps.db, { articleId: req.params.id, version: req.params.version });
      return { version: req.params.version, fields };
    },
  );

  api.post(
    "/articles/:id/revisions/:version/restore",
    {
      schema: {
        params: RevisionParams,
        body: closed({ baseVersion: Type.Integer({ minimum: 1 }) }),
        response: { 200: ArticleEnvelope, 409: ConflictEnvelope },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const article = await allow(actor, "article.edit", req.params.id);
      const fields = await content.getRevision(deps.db, { articleId: req.params.id, version: req.params.version });
      // An older version may carry an older byline: restoring it is a byline change like any other.
      authorizeByline(actor, { before: idsOf(article.authors), after: fields.authorIds });
      checkFlags(actor, fields, await content.readArticleFields(deps.db, req.params.id));
      const result = await editArticle({
        id: req.params.id,
        baseVersion: req.body.baseVersion,
        fields,
        by: actor.id,
      });
      return saved(reply, result, { baseVersion: req.body.baseVersion, fields }, req.params.id);
    },
  );
}

/** The workflow (submit, publish or schedule, unpublish), preview links and corrections. */
function workflowRoutes(app: FastifyInstance, kit: ArticleRouteKit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, allow, commit } = kit;

  const step = (
    path: string,
    action: ArticleAction,
    run: (db: Tx, id: string, body: Static<typeof PublishBody>) => Promise<content.WorkflowResult>,
  ) =>
    api.post(
      `/articles/:id/${path}`,
      {
        schema: { params: IdParams, body: path === "publish" ? PublishBody : Empty, response: { 200: WorkflowAnswer } },
      },
      async (req) => {
        await allow(actorOf(req), action, req.params.id);
        const { status, version } = await commit((tx) => run(tx, req.params.id, req.body));
        return { article: { id: req.params.id, status, version } };
      },
    );

  step("submit", "article.submit", (db, id) => content.submitForReview({ ...deps, db }, id));
  step("publish", "article.publish", (db, id, body) =>
    content.publishArticle({ ...deps, db }, { id, ...publishTime(body.at) }),
  );
  step("unpublish", "article.unpublish", (db, id) => content.unpublishArticle({ ...deps, db }, id));

  api.post(
    "/articles/:id/preview-links",
    { schema: { params: IdParams, body: Empty, response: { 201: PreviewLinks } } },
    async (req, reply) => {
      await allow(actorOf(req), "article.preview", req.params.id);
      return reply.code(201).header("cache-control", "no-store").send(previewLinksFor(deps, req.params.id));
    },
  );

  api.post(
    "/articles/:id/corrections",
    { schema: { params: IdParams, body: CorrectionBody, response: { 201: closed({ correction: CorrectionView }) } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await allow(actor, "article.correct", req.params.id);
      const { correction } = await commit((tx) =>
        content.appendCorrection({ ...deps, db: tx }, { articleId: req.params.id, ...req.body, by: actor.id }),
      );
      return reply.code(201).send({ correction });
    },
  );
}

/**
 * A creation under an Idempotency-Key: made once per staff member and key, in the transaction that claims the key;
 * a retry gets the first answer's bytes (marked `idempotent-replayed`), another body under the key a 409.
 */
async function sendCreatedOnce(
  kit: ArticleRouteKit,
  input: { reply: FastifyReply; key: string; staffId: string; body: Static<typeof CreateBody> },
) {
  const { deps, detail } = kit;
  const { reply, key, body } = input;
  const once = await createOnce(deps, {
    staffId: input.staffId,
    key,
    request: body,
    create: async (tx) => {
      const { id } = await content.createArticle({ db: tx, clock: deps.clock }, { ...body, by: input.staffId });
      // Serialized by the route's response schema (the allow-list), then kept and sent as these bytes.
      const response = reply.code(201).serialize(await detail(id, tx));
      if (typeof response !== "string") throw new Error("the article's answer did not serialize to text");
      return { articleId: id, response };
    },
  });
  if (once.kind === "replayed") reply.header("idempotent-replayed", "true");
  // Already JSON text: Fastify sends a string with a JSON content type as it is, without serializing it again.
  return reply
    .code(201)
    .type("application/json; charset=utf-8")
    .send(once.response as unknown as Static<typeof ArticleEnvelope>);
}

function idsOf(authors: readonly { id: string }[]): string[] {
  return authors.map((a) => a.id);
}

function previewLinksFor(deps: NewsroomDeps, articleId: string) {
  const expiresAt = new Date(deps.clock.now().getTime() + PREVIEW_LINK_MINUTES * 60_000);
  const link = (audience: content.PreviewAudience) =>
    `${deps.publicUrl}/preview/${content.signPreviewToken({ articleId, audience, expiresAt }, deps.sessionSecret)}`;
  return { previewLinks: { anonymous: link("anonymous"), subscriber: link("subscriber"), expiresAt } };
}

function publishTime(at: string | undefined): { at?: Date } {
  return at === undefined ? {} : { at: parseTimeInput(at, "at") };
}
