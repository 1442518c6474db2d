/** `/ghost/api/content/`: Ghost's Content API over Broadsheet's published content, read-only, keyed, open to browsers. */
import { createHash } from "node:crypto";
import cors from "@fastify/cors";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import { Forbidden, Invalid, NotFound, Unauthorized } from "../shared/errors.js";
import { isActiveContentApiKey } from "./api-keys.js";
import { parseFilter } from "./nql-filter.js";
import {
  DEFAULT_LIMIT,
  type Format,
  paginationOf,
  parseFormats,
  parseLimit,
  parseList,
  parseOrder,
  parsePage,
} from "./query-options.js";
import { authors, pages, posts, type Resource, tags } from "./resources.js";
import { GhostTier, listEnvelope, SettingsEnvelope } from "./response-schemas.js";
import { dateFormatter, type SerializeContext } from "./serializers.js";
import { GHOST_VERSION, listTiers, toGhostSettings } from "./settings-and-tiers.js";

export type GhostApiDeps = { db: Db; clock: Clock; publicUrl: string };

export const CONTENT_API_PREFIX = "/ghost/api/content";

const ERROR_CACHE_CONTROL = "no-cache, private, no-store, must-revalidate, max-stale=0, post-check=0, pre-check=0";

// Unknown parameters (the JS client sends `slug` on a read by slug) are dropped, as Ghost drops them.
const ReadQuery = Type.Object(
  {
    include: Type.Optional(Type.String({ maxLength: 200 })),
    fields: Type.Optional(Type.String({ maxLength: 1000 })),
    formats: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const BrowseQuery = Type.Object(
  {
    ...ReadQuery.properties,
    filter: Type.Optional(Type.String({ maxLength: 4000 })),
    order: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.String({ maxLength: 20 })),
    page: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ maxLength: 100 }) });
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });

export async function ghostContentApiRoutes(app: FastifyInstance, deps: GhostApiDeps): Promise<void> {
  await app.register(
    async (api) => {
      // Browsers call the Content API from any site: the key is public and nothing depends on cookies.
      await api.register(cors, { origin: "*", methods: ["GET", "HEAD", "OPTIONS"], maxAge: 86_400 });

      api.addHook("onRequest", async (req, reply) => {
        const queryStart = req.url.indexOf("?");
        const path = queryStart < 0 ? req.url : req.url.slice(0, queryStart);
        // Ghost's addresses end in a slash and the slashless form redirects, so clients' caches see one URL.
        if (!path.endsWith("/"))
          return reply.redirect(`${path}/${queryStart < 0 ? "" : req.url.slice(queryStart)}`, 301);
        reply.header("vary", "Accept-Version, Accept-Encoding");
        if (req.headers["accept-version"]) reply.header("content-version", `v${GHOST_VERSION}`);
        await authenticate(deps, (req.query as Record<string, unknown>).key);
      });

      api.addHook("onSend", async (req, reply, payload) => {
        if (reply.statusCode >= 400) {
          reply.header("cache-control", ERROR_CACHE_CONTROL);
          return payload;
        }
        reply.header("cache-control", "public, max-age=0");
        if (reply.statusCode !== 200 || typeof payload !== "string") return payload;
        const etag = `W/"${createHash("sha1").update(payload).digest("base64url")}"`;
        reply.header("etag", etag);
        if (req.headers["if-none-match"] !== etag) return payload;
        reply.code(304);
        return "";
      });

      api.setNotFoundHandler(async () => {
        throw new NotFound("RESOURCE_NOT_FOUND", "Resource not found");
      });

      resourceRoutes(api, deps, posts);
      resourceRoutes(api, deps, pages);
      resourceRoutes(api, deps, tags);
      resourceRoutes(api, deps, authors);

      api.get("/settings/", { schema: { response: { 200: SettingsEnvelope } } }, async () => {
        const [settings, sections, staticPages] = await Promise.all([
          content.getSettings(deps.db),
          content.listSections(deps.db),
          content.listStaticPages(deps.db),
        ]);
        return {
          settings: toGhostSettings({ settings, sections, pages: staticPages, publicUrl: deps.publicUrl }),
          meta: {},
        };
      });

      api.get("/tiers/", { schema: { response: { 200: listEnvelope("tiers", GhostTier) } } }, async () => {
        const tiers = listTiers(await content.getSettings(deps.db));
        const all = { items: tiers, page: 1, pages: 1, total: tiers.length };
        return { tiers, meta: { pagination: paginationOf(all, DEFAULT_LIMIT) } };
      });
    },
    { prefix: CONTENT_API_PREFIX },
  );
}

/** No key: 403, as Ghost answers a request it can't tie to an integration; a wrong or revoked key: 401. */
async function authenticate(deps: GhostApiDeps, key: unknown): Promise<void> {
  if (key === undefined) {
    throw new Forbidden("NO_PERMISSION", "Authorization failed", {
      help: "Unable to determine the authenticated member or integration. Check the supplied Content API Key.",
    });
  }
  if (typeof key !== "string") {
    throw new Invalid("INVALID_REQUEST", "Only one Content API Key may be given.", { property: "key" });
  }
  if (!(await isActiveContentApiKey(deps.db, key))) {
    throw new Unauthorized("UNKNOWN_CONTENT_API_KEY", "Unknown Content API Key", { property: "key" });
  }
}

/** Browse, read by id and read by slug: the same three routes for every resource. */
function resourceRoutes<F extends string, T>(api: FastifyInstance, deps: GhostApiDeps, resource: Resource<F, T>) {
  const response = { 200: listEnvelope(resource.name, resource.schema) };
  const base = `/${resource.name}/`;

  api.get<{ Querystring: Static<typeof BrowseQuery> }>(
    base,
    { schema: { querystring: BrowseQuery, response } },
    async (req) => {
      const { query } = req;
      const options = parseRenderOptions(resource, query);
      const limit = parseLimit(query.limit);
      const found = await resource.list(deps.db, {
        ...(query.filter ? { where: parseFilter(query.filter, resource.filterFields, deps.clock.now()) } : {}),
        order: parseOrder(query.order, resource.orderFields) ?? resource.defaultOrder,
        page: parsePage(query.page),
        pageSize: limit,
      });
      const items = await render(deps, resource, found.items, options);
      return { [resource.name]: items, meta: { pagination: paginationOf(found, limit) } };
    },
  );

  const read = async (field: F, value: string, query: Static<typeof ReadQuery>) => {
    const options = parseRenderOptions(resource, query);
    const where = { kind: "compare", field, op: "eq", value } as const;
    const found = await resource.list(deps.db, { where, order: [], page: 1, pageSize: 1 });
    if (found.items.length === 0) {
      throw new NotFound(
        `${resource.singular.toUpperCase()}_NOT_FOUND`,
        `Resource not found error, cannot read ${resource.singular}.`,
      );
    }
    // A read is the one-item list without `meta`: that is how Ghost's clients tell it from a browse.
    return { [resource.name]: await render(deps, resource, found.items, options) };
  };

  api.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ReadQuery> }>(
    `${base}:id/`,
    { schema: { params: IdParams, querystring: ReadQuery, response } },
    async (req) => read(resource.keys.id, req.params.id, req.query),
  );
  api.get<{ Params: Static<typeof SlugParams>; Querystring: Static<typeof ReadQuery> }>(
    `${base}slug/:slug/`,
    { schema: { params: SlugParams, querystring: ReadQuery, response } },
    async (req) => read(resource.keys.slug, req.params.slug, req.query),
  );
}

/** How a response renders its objects: `formats`, `include` and `fields`, refused before anything is read. */
type RenderOptions = { formats: Set<Format>; includes: Set<string>; fields: Set<string> };

function parseRenderOptions<F extends string, T>(
  resource: Resource<F, T>,
  query: Static<typeof ReadQuery>,
): RenderOptions {
  const formats = parseFormats(query.formats);
  const includes = new Set(parseList(query.include).filter((i) => Object.hasOwn(resource.includes, i)));
  // What `include` adds stays when `fields` narrows the object, as in Ghost.
  const added = [...includes].flatMap((i) => resource.includes[i] ?? []);
  const fields = parseList(query.fields);
  return { formats, includes, fields: new Set(fields.length > 0 ? [...fields, ...added] : []) };
}

async function render<F extends string, T>(
  deps: GhostApiDeps,
  resource: Resource<F, T>,
  items: T[],
  options: RenderOptions,
): Promise<object[]> {
  const settings = await content.getSettings(deps.db);
  const ctx: SerializeContext = {
    publicUrl: deps.publicUrl,
    date: dateFormatter(settings.timeZone),
    includes: options.includes,
    formats: options.formats,
  };
  return items.map((item) => {
    const serialized = resource.serialize(item, ctx);
    if (options.fields.size === 0) return serialized;
    return Object.fromEntries(Object.entries(serialized).filter(([key]) => options.fields.has(key)));
  });
}
