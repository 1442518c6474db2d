/**
 * `/ghost/api/content/`: Ghost's Content API over Broadsheet's published content, read-only, keyed, open to
 * browsers. Every request is the anonymous reader (a key unlocks no gated text), so an answer depends only on
 * its normalised query: it is kept in the page cache under that, tagged with what it lists, and served like a
 * page (ETag and 304, gzip or brotli) once the key has been checked.
 */
import type { ServerResponse } from "node:http";
import cors from "@fastify/cors";
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  type CachedPage,
  etagFor,
  type PageCache,
  perGeneration,
  type RenderTicket,
  replyFromCache,
  sendCached,
} from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import * as newsletters from "../newsletters/index.js";
import type { Clock } from "../shared/clock.js";
import { Forbidden, Invalid, NotFound, Unauthorized } from "../shared/errors.js";
import { SlugParams } from "../shared/slug.js";
import { CONTENT_API_KEYS_TAG } from "./api-keys.js";
import { GHOST_ERROR_HEADERS } from "./ghost-errors.js";
import { type ContentApiKeyCheck, createContentApiKeyCheck } from "./key-check.js";
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
import { GhostNewsletter, GhostTier, listEnvelope, SettingsEnvelope } from "./response-schemas.js";
import { dateFormatter, type SerializeContext } from "./serializers.js";
import { GHOST_VERSION, listTiers, toGhostNewsletters, toGhostSettings } from "./settings-and-tiers.js";

export type GhostApiDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  /** A turn for an answer the page cache does not hold, until `res` closes; rejects (503) while load is shed. */
  admit: (res: ServerResponse) => Promise<void>;
};

/** What the routes use besides the app's: the key check and the settings, each read once per cache generation. */
type ApiDeps = GhostApiDeps & {
  isActiveKey: ContentApiKeyCheck;
  settings: () => Promise<content.SiteSettings>;
  /** When the settings last changed, at whole seconds, as Ghost writes the dates of tiers and newsletters. */
  settingsChangedAt: () => Promise<string>;
  /** Answers being read, by cache generation and normalised query: what a request that misses waits for. */
  reads: Map<string, Promise<CachedPage>>;
};

/** The page cache's share for API answers: queries anyone with the public key makes up push out only each other. */
export const CONTENT_API_CACHE_SHARE = "content-api";

export const CONTENT_API_PREFIX = "/ghost/api/content";

// As Ghost: shared caches may keep an answer but must ask again (the ETag makes that a 304) before using it.
const ANSWER_CACHE_CONTROL = "public, max-age=0";
const JSON_TYPE = "application/json; charset=utf-8";

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

export async function ghostContentApiRoutes(app: FastifyInstance, appDeps: GhostApiDeps): Promise<void> {
  const deps: ApiDeps = {
    ...appDeps,
    isActiveKey: createContentApiKeyCheck(appDeps),
    settings: perGeneration(appDeps.cache, () => content.getSettings(appDeps.db)),
    settingsChangedAt: perGeneration(appDeps.cache, async () => {
      const at = await content.getSettingsChangedAt(appDeps.db);
      return `${at.toISOString().slice(0, 19)}.000Z`;
    }),
    reads: new Map(),
  };
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

      // Answers carry their own Cache-Control from the page cache; redirects and preflights get the same.
      api.addHook("onSend", (_req, reply, payload, done) => {
        if (reply.statusCode >= 400) reply.header("cache-control", GHOST_ERROR_HEADERS["cache-control"]);
        else if (!reply.hasHeader("cache-control")) reply.header("cache-control", ANSWER_CACHE_CONTROL);
        done(null, payload);
      });

      api.setNotFoundHandler(async () => {
        throw new NotFound("RESOURCE_NOT_FOUND", "Resource not found");
      });

      resourceRoutes(api, deps, posts);
      resourceRoutes(api, deps, pages);
      resourceRoutes(api, deps, tags);
      resourceRoutes(api, deps, authors);

      // Settings show the site's sections and pages, tiers its currency: all of it drops `site` when it changes.
      api.get("/settings/", { schema: { response: { 200: SettingsEnvelope } } }, async (req, reply) =>
        sendAnswer(req, reply, deps, ["settings"], async () => {
          const [settings, sections, staticPages] = await Promise.all([
            deps.settings(),
            content.listSections(deps.db),
            content.listStaticPages(deps.db),
          ]);
          const body = {
            settings: toGhostSettings({ settings, sections, pages: staticPages, publicUrl: deps.publicUrl }),
            meta: {},
          };
          return { body, tags: [] };
        }),
      );

      settingsListRoute(api, deps, "tiers", GhostTier, listTiers);
      // Newsletters change in the newsroom, which drops `site`: kept like the rest.
      api.get(
        "/newsletters/",
        { schema: { response: { 200: listEnvelope("newsletters", GhostNewsletter) } } },
        async (req, reply) =>
          sendAnswer(req, reply, deps, ["newsletters"], async () => {
            const items = toGhostNewsletters(await newsletters.listActiveNewsletters(deps.db));
            const all = { items, page: 1, pages: 1, total: items.length };
            return { body: { newsletters: items, meta: { pagination: paginationOf(all, DEFAULT_LIMIT) } }, tags: [] };
          }),
      );
    },
    { prefix: CONTENT_API_PREFIX },
  );
}

/** A short list that follows from the settings alone (tiers): one page, whatever is asked. */
function settingsListRoute(
  api: FastifyInstance,
  deps: ApiDeps,
  name: string,
  schema: TSchema,
  list: (settings: content.SiteSettings, changedAt: string) => object[],
) {
  api.get(`/${name}/`, { schema: { response: { 200: listEnvelope(name, schema) } } }, async (req, reply) =>
    sendAnswer(req, reply, deps, [name], async () => {
      const items = list(await deps.settings(), await deps.settingsChangedAt());
      const all = { items, page: 1, pages: 1, total: items.length };
      return { body: { [name]: items, meta: { pagination: paginationOf(all, DEFAULT_LIMIT) } }, tags: [] };
    }),
  );
}

/**
 * No key: 403, as Ghost answers a request it can't tie to an integration; a wrong or revoked key: 401. Checked in
 * `onRequest`, before any answer is looked up: a cached answer never reaches a request with a bad key.
 */
async function authenticate(deps: ApiDeps, key: unknown): Promise<void> {
  if (key === undefined) {
    throw new Forbidden("NO_PERMISSION", "Authorization failed", {
      help: "Unable to determine the authenticated member or integration. Check the supplied Content API Key.",
    });
  }
  if (typeof key !== "string") {
    throw new Invalid("INVALID_REQUEST", "Only one Content API Key may be given.", { property: "key" });
  }
  if (!(await deps.isActiveKey(key))) {
    throw new Unauthorized("UNKNOWN_CONTENT_API_KEY", "Unknown Content API Key", { property: "key" });
  }
}

/** Browse, read by id and read by slug: the same three routes for every resource. */
function resourceRoutes<F extends string, T>(api: FastifyInstance, deps: ApiDeps, resource: Resource<F, T>) {
  const response = { 200: listEnvelope(resource.name, resource.schema) };
  const base = `/${resource.name}/`;

  api.get<{ Querystring: Static<typeof BrowseQuery> }>(
    base,
    { schema: { querystring: BrowseQuery, response } },
    async (req, reply) => {
      const { query } = req;
      const options = parseRenderOptions(resource, query);
      const limit = parseLimit(query.limit);
      const order = parseOrder(query.order, resource.orderFields) ?? resource.defaultOrder;
      const page = parsePage(query.page);
      // The filter as written (two spellings of one filter are two entries, never one entry for two filters);
      // everything else as read, so `include=authors,tags` and `include=tags,authors` share one.
      const key = [resource.name, query.filter ?? "", ...optionsKey(options), limit, page, order];
      return sendAnswer(req, reply, deps, key, async () => {
        const filter = query.filter ? parseFilter(query.filter, resource.filterFields, deps.clock.now()) : undefined;
        const found = await resource.list(
          deps.db,
          { ...(filter ? { where: filter.condition } : {}), order, page, pageSize: limit },
          options,
        );
        const items = await render(deps, resource, found.items, options);
        return {
          body: { [resource.name]: items, meta: { pagination: paginationOf(found, limit) } },
          tags: resource.answerTags(found.items, true),
          isTimeBound: filter?.readsClock === true,
        };
      });
    },
  );

  const read = (
    req: FastifyRequest,
    reply: FastifyReply,
    by: { field: F; value: string },
    query: Static<typeof ReadQuery>,
  ) => {
    const options = parseRenderOptions(resource, query);
    const key = [resource.name, by.field, by.value, ...optionsKey(options)];
    return sendAnswer(req, reply, deps, key, async () => {
      const where = { kind: "compare", field: by.field, op: "eq", value: by.value } as const;
      const found = await resource.list(deps.db, { where, order: [], page: 1, pageSize: 1 }, options);
      if (found.items.length === 0) {
        throw new NotFound(
          `${resource.singular.toUpperCase()}_NOT_FOUND`,
          `Resource not found error, cannot read ${resource.singular}.`,
        );
      }
      // A read is the one-item list without `meta`: that is how Ghost's clients tell it from a browse.
      const body = { [resource.name]: await render(deps, resource, found.items, options) };
      return { body, tags: resource.answerTags(found.items, false) };
    });
  };

  api.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof ReadQuery> }>(
    `${base}:id/`,
    { schema: { params: IdParams, querystring: ReadQuery, response } },
    async (req, reply) => read(req, reply, { field: resource.keys.id, value: req.params.id }, req.query),
  );
  api.get<{ Params: Static<typeof SlugParams>; Querystring: Static<typeof ReadQuery> }>(
    `${base}slug/:slug/`,
    { schema: { params: SlugParams, querystring: ReadQuery, response } },
    async (req, reply) => read(req, reply, { field: resource.keys.slug, value: req.params.slug }, req.query),
  );
}

/** What an answer is made of: the body the route's response schema serializes, and what it shows. */
type Answer = {
  body: object;
  /** Besides `site`, which every answer carries. */
  tags: string[];
  /** Read with a filter relative to now: sent, never kept. */
  isTimeBound?: boolean;
};

/**
 * The answer kept at `key` (the normalised query, never the API key), or one read, serialized by the route's
 * response schema (the allow-list of what may be sent), kept unless an invalidation came while it was read, and
 * sent the way pages are: ETag, 304, gzip or brotli as the client takes them. Errors are thrown, never kept.
 * Requests that miss on the same query in the same cache generation while it is read wait for that one read.
 */
async function sendAnswer(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: ApiDeps,
  query: readonly unknown[],
  read: () => Promise<Answer>,
): Promise<FastifyReply> {
  const key = `content-api:${JSON.stringify(query)}`;
  const cached = sendCached(deps.cache, { req, reply, key: key });
  if (cached) return cached;
  const ticket = deps.cache.ticket();
  const flight = `${ticket.generation}\u0000${key}`;
  let answer = deps.reads.get(flight);
  if (!answer) {
    answer = readAnswer(reply, deps, key, ticket, read);
    deps.reads.set(flight, answer);
    const settled = () => deps.reads.delete(flight);
    answer.then(settled, settled);
  }
  return replyFromCache(deps.cache, { req, reply, key, page: await answer });
}

/** One read of an answer, after a turn in the Content API's gate; kept in the page cache unless time-bound. */
async function readAnswer(
  reply: FastifyReply,
  deps: ApiDeps,
  key: string,
  ticket: RenderTicket,
  read: () => Promise<Answer>,
): Promise<CachedPage> {
  await deps.admit(reply.raw);
  const answer = await read();
  const json = reply.code(200).serialize(answer.body);
  if (typeof json !== "string") throw new Error("a Content API answer did not serialize to text");
  const fresh = {
    status: 200,
    contentType: JSON_TYPE,
    body: Buffer.from(json),
    kind: "content-api" as const,
    tags: [content.cacheTags.site, ...new Set(answer.tags)],
    // A new or revoked key drops no answer here, but purges every one at the edge, where the key is in the address.
    edgeKeys: [CONTENT_API_KEYS_TAG],
  };
  return answer.isTimeBound
    ? { ...fresh, etag: etagFor(fresh.body) }
    : deps.cache.store(key, fresh, ticket, CONTENT_API_CACHE_SHARE);
}

/** How a response renders its objects: `formats`, `include` and `fields`, refused before anything is read. */
type RenderOptions = { formats: Set<Format>; includes: Set<string>; fields: Set<string> };

/** The options as the cache key names them: sets, in one order, since the answer depends on none. */
function optionsKey(options: RenderOptions): string[][] {
  return [[...options.formats].sort(), [...options.includes].sort(), [...options.fields].sort()];
}

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
  deps: ApiDeps,
  resource: Resource<F, T>,
  items: T[],
  options: RenderOptions,
): Promise<object[]> {
  const settings = await deps.settings();
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
