/**
 * /admin/api/sections and /admin/api/tags: everyone may list them; editors and above create, rename, reorder,
 * archive and restore sections, and edit tags.
 */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import * as newsletters from "../newsletters/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { AccessDefault, closed, DATE_TIME, IdParams, UUID } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const NAME = Type.String({ minLength: 1, maxLength: 80 });
const DESCRIPTION = Type.String({ maxLength: 1000 });
/** What new articles in the section start with (the paywall); null: no rule of its own. */
const SectionAccess = Type.Union([AccessDefault, Type.Null()]);
const SectionBody = closed({
  name: NAME,
  description: Type.Optional(DESCRIPTION),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  accessDefault: Type.Optional(SectionAccess),
});
const TagBody = closed({ name: NAME, description: Type.Optional(DESCRIPTION) });
const SlugBody = closed({ slug: Type.String({ minLength: 1, maxLength: 120 }) });
const SectionView = closed(
  {
    id: Type.String(),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    position: Type.Integer(),
    accessDefault: SectionAccess,
    archivedAt: Type.Union([DATE_TIME, Type.Null()], {
      description: "Set while archived: out of the masthead and the sitemap; its articles stay reachable",
    }),
  },
  { title: "Section" },
);
const OrderBody = closed({ sectionIds: Type.Array(UUID, { minItems: 1, maxItems: 500 }) });
const TagView = closed(
  { id: Type.String(), slug: Type.String(), name: Type.String(), description: Type.String() },
  { title: "Tag" },
);
const SectionEnvelope = closed({ section: SectionView });
const TagEnvelope = closed({ tag: TagView });
const Deleted = { 204: Type.Null() };

export async function taxonomyRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  sectionOrderRoutes(app, deps);
  sectionEditRoutes(app, deps);
  tagRoutes(app, deps);
}

/** The sections' list (archived ones too), their order, archiving and restoring. */
function sectionOrderRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/sections",
    { schema: { response: { 200: closed({ sections: Type.Array(SectionView) }) } } },
    async (req) => {
      authorize(actorOf(req), "article.list", undefined);
      return { sections: await content.listSections(deps.db, { withArchived: true }) };
    },
  );

  api.put(
    "/sections/order",
    { schema: { body: OrderBody, response: { 200: closed({ sections: Type.Array(SectionView) }) } } },
    async (req) => {
      authorize(actorOf(req), "taxonomy.manage", undefined);
      await deps.invalidator.commit((tx) => content.reorderSections(tx, req.body.sectionIds));
      return { sections: await content.listSections(deps.db, { withArchived: true }) };
    },
  );

  for (const [path, isArchived] of [
    ["archive", true],
    ["restore", false],
  ] as const) {
    api.post(
      `/sections/:id/${path}`,
      { schema: { params: IdParams, body: closed({}), response: { 200: SectionEnvelope } } },
      async (req) => {
        authorize(actorOf(req), "taxonomy.manage", undefined);
        const { section } = await deps.invalidator.commit((tx) =>
          content.archiveSection(tx, { id: req.params.id, isArchived, at: deps.clock.now() }),
        );
        return { section };
      },
    );
  }
}

/** Making, editing, re-addressing and deleting a section. */
function sectionEditRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const sectionById = (id: string) => content.getSection(deps.db, id);

  api.post("/sections", { schema: { body: SectionBody, response: { 201: SectionEnvelope } } }, async (req, reply) => {
    authorize(actorOf(req), "taxonomy.manage", undefined);
    const input = {
      name: req.body.name.trim(),
      description: req.body.description ?? "",
      position: req.body.position ?? 0,
      ...(req.body.accessDefault !== undefined ? { accessDefault: req.body.accessDefault } : {}),
    };
    const { id } = await deps.invalidator.commit(async (tx) => ({
      ...(await content.createSection(tx, input)),
      invalidates: [content.cacheTags.site],
    }));
    return reply.code(201).send({ section: await sectionById(id) });
  });

  api.put(
    "/sections/:id",
    { schema: { params: IdParams, body: SectionBody, response: { 200: SectionEnvelope } } },
    async (req) => {
      authorize(actorOf(req), "taxonomy.manage", undefined);
      const current = await sectionById(req.params.id);
      const { section } = await deps.invalidator.commit((tx) =>
        content.updateSection(tx, {
          id: current.id,
          name: req.body.name,
          description: req.body.description ?? current.description,
          position: req.body.position ?? current.position,
          ...(req.body.accessDefault !== undefined ? { accessDefault: req.body.accessDefault } : {}),
        }),
      );
      return { section };
    },
  );

  api.put(
    "/sections/:id/slug",
    { schema: { params: IdParams, body: SlugBody, response: { 200: SectionEnvelope } } },
    async (req) => {
      authorize(actorOf(req), "taxonomy.manage", undefined);
      await deps.invalidator.commit((tx) =>
        content.changeSlug({ ...deps, db: tx }, { owner: "section", id: req.params.id, slug: req.body.slug }),
      );
      return { section: await sectionById(req.params.id) };
    },
  );

  api.delete("/sections/:id", { schema: { params: IdParams, response: Deleted } }, async (req, reply) => {
    authorize(actorOf(req), "taxonomy.manage", undefined);
    // The digests that chose it let go of it in the same transaction (none is left naming a missing section).
    await deps.invalidator.commit(async (tx) => {
      const deleted = await content.deleteSection(tx, req.params.id);
      await newsletters.forgetSection(tx, req.params.id);
      return deleted;
    });
    return reply.code(204).send(null);
  });
}

/** Tags: everyone lists them, editors make, rename and delete them. */
function tagRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/tags", { schema: { response: { 200: closed({ tags: Type.Array(TagView) }) } } }, async (req) => {
    authorize(actorOf(req), "article.list", undefined);
    return { tags: await content.listTags(deps.db) };
  });

  api.post("/tags", { schema: { body: TagBody, response: { 201: TagEnvelope } } }, async (req, reply) => {
    authorize(actorOf(req), "taxonomy.manage", undefined);
    const tag = await content.createTag(deps.db, { name: req.body.name, description: req.body.description ?? "" });
    return reply.code(201).send({ tag });
  });

  api.put("/tags/:id", { schema: { params: IdParams, body: TagBody, response: { 200: TagEnvelope } } }, async (req) => {
    authorize(actorOf(req), "taxonomy.manage", undefined);
    const { tag } = await deps.invalidator.commit((tx) =>
      content.updateTag(tx, { id: req.params.id, name: req.body.name, description: req.body.description ?? "" }),
    );
    return { tag };
  });

  api.delete("/tags/:id", { schema: { params: IdParams, response: Deleted } }, async (req, reply) => {
    authorize(actorOf(req), "taxonomy.manage", undefined);
    await deps.invalidator.commit((tx) => content.deleteTag(tx, req.params.id));
    return reply.code(204).send(null);
  });
}
