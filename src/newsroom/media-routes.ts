/** /admin/api/media: the media library. Upload an image (multipart), list and search, read one, describe it. */
import multipart from "@fastify/multipart";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as media from "../media/index.js";
import { Forbidden, Invalid, TooLarge, UnsupportedMediaType } from "../shared/errors.js";
import { actorOf, authorize, UPLOAD_ROUTE } from "./api-guard.js";
import { closed, DATE_TIME, IdParams } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";
import { can } from "./policy.js";

const ImageVariantView = closed(
  {
    url: Type.String(),
    width: Type.Integer(),
    height: Type.Integer(),
    contentType: Type.String(),
  },
  { title: "ImageVariant" },
);
const MediaImageView = closed(
  {
    id: Type.String(),
    url: Type.String({ description: "The re-encoded original; use it as an article image's src" }),
    contentType: Type.String(),
    format: Type.Union(media.IMAGE_FORMATS.map((f) => Type.Literal(f))),
    width: Type.Integer(),
    height: Type.Integer(),
    bytes: Type.Integer(),
    originalName: Type.String(),
    alt: Type.String(),
    caption: Type.String(),
    credit: Type.String(),
    uploadedBy: Type.Union([Type.String(), Type.Null()]),
    variants: Type.Array(ImageVariantView),
    srcset: closed({ webp: Type.String(), jpeg: Type.String() }),
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
  { title: "MediaImage" },
);
const ImageEnvelope = closed({ image: MediaImageView });
const ListQuery = closed({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const ImageList = closed({
  images: Type.Array(MediaImageView),
  meta: closed({ page: Type.Integer(), pages: Type.Integer(), total: Type.Integer(), perPage: Type.Integer() }),
});
/** The same limits as an article's feature image (api-schema.ts), so a library image always fits one. */
const DescribeBody = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: 500 })),
    caption: Type.Optional(Type.String({ maxLength: 1000 })),
    credit: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
/** For the OpenAPI document only: the handler reads the file from the stream itself (see below). */
const UploadBody = closed({ file: Type.String({ format: "binary", description: "One JPEG, PNG, WebP, GIF or AVIF" }) });
const DEFAULT_PER_PAGE = 30;

export async function mediaRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  // Its own context: only these routes parse multipart bodies.
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.media.uploadMaxBytes } });
    const api = scope.withTypeProvider<TypeBoxTypeProvider>();
    const mediaDeps = { db: deps.db, clock: deps.clock, storage: deps.media.storage };

    api.post(
      "/media",
      {
        config: UPLOAD_ROUTE,
        schema: { consumes: ["multipart/form-data"], body: UploadBody, response: { 201: ImageEnvelope } },
        // The body is a stream the handler reads (readOneFile), not an object to validate; there is nothing else.
        validatorCompiler: () => () => true,
      },
      async (req, reply) => {
        const actor = actorOf(req);
        authorize(actor, "media.upload", undefined);
        const upload = await readOneFile(req, deps.media.uploadMaxBytes);
        const image = await media.uploadImage(mediaDeps, { ...upload, by: actor.id });
        return reply.code(201).send({ image });
      },
    );

    api.get("/media", { schema: { querystring: ListQuery, response: { 200: ImageList } } }, async (req) => {
      authorize(actorOf(req), "media.list", undefined);
      const perPage = req.query.perPage ?? DEFAULT_PER_PAGE;
      const page = await media.listImages(deps.db, { ...req.query, page: req.query.page ?? 1, perPage });
      return { images: page.items, meta: { page: page.page, pages: page.pages, total: page.total, perPage } };
    });

    api.get("/media/:id", { schema: { params: IdParams, response: { 200: ImageEnvelope } } }, async (req) => {
      authorize(actorOf(req), "media.list", undefined);
      return { image: await media.getImage(deps.db, req.params.id) };
    });

    api.patch(
      "/media/:id",
      { schema: { params: IdParams, body: DescribeBody, response: { 200: ImageEnvelope } } },
      async (req) => {
        // Who uploaded an image never changes, so reading it first leaves no gap to exploit.
        const { uploadedBy } = await media.getImage(deps.db, req.params.id);
        if (!can(actorOf(req), "media.describe", { uploadedBy })) {
          throw new Forbidden(
            "NOT_YOUR_IMAGE",
            "Only whoever uploaded this image, or an editor, can change its words",
            {
              help: "Set the alt text and caption in your article instead: it keeps its own copy",
            },
          );
        }
        return { image: await media.describeImage(deps, { id: req.params.id, ...req.body }) };
      },
    );
  });
}

/**
 * The one file of a multipart upload, in a field named "file", read whole within the size limit. The whole
 * request is read, so a second file or any other field is noticed and refused rather than ignored.
 */
async function readOneFile(req: FastifyRequest, maxBytes: number): Promise<{ bytes: Buffer; originalName: string }> {
  if (!req.isMultipart()) {
    throw new UnsupportedMediaType("MULTIPART_REQUIRED", "Send the image as a file upload (multipart/form-data)", {
      help: 'Put the file in a form field named "file"',
    });
  }
  const onlyOne = () =>
    new Invalid("ONE_FILE_ONLY", "Send one file per upload, in a field named file, and nothing else", {
      property: "file",
    });
  let upload: { bytes: Buffer; originalName: string } | undefined;
  try {
    for await (const part of req.parts({ limits: { files: 1, fields: 0, parts: 2, fileSize: maxBytes } })) {
      if (part.type !== "file" || part.fieldname !== "file") {
        if (part.type === "file") part.file.resume();
        throw onlyOne();
      }
      upload = { bytes: await part.toBuffer(), originalName: part.filename };
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") {
      throw new TooLarge("FILE_TOO_LARGE", `This file is larger than ${maxBytes / 1024 / 1024} MB`, {
        property: "file",
        help: "Save it smaller (fewer pixels or more compression), then upload it again",
      });
    }
    throw isMultipartLimit(err) ? onlyOne() : err;
  }
  if (!upload) throw new Invalid("FILE_REQUIRED", "Choose an image to upload", { property: "file" });
  return upload;
}

function isMultipartLimit(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "FST_PARTS_LIMIT" || code === "FST_FILES_LIMIT" || code === "FST_FIELDS_LIMIT";
}
