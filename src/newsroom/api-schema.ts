/** The TypeBox shapes of the newsroom API's requests and responses: the contract the /admin app builds on. */
import { type ObjectOptions, Type } from "@sinclair/typebox";
import * as content from "../content/index.js";
import { Invalid } from "../shared/errors.js";
import { ROLES } from "./policy.js";

export const EMAIL = Type.String({ minLength: 3, maxLength: 254, pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" });
export const PASSWORD = Type.String({ minLength: 1, maxLength: 1000 });
export const TOKEN = Type.String({ minLength: 20, maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" });
export const UUID = Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" });
/** A Date in code, an ISO 8601 string on the wire. */
export const DATE_TIME = Type.Unsafe<Date>(Type.String({ format: "date-time" }));
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const IdParams = Type.Object({ id: UUID }, { additionalProperties: false });

/**
 * An object that refuses unknown properties. A `title` names it in the OpenAPI document (components.schemas,
 * see openapi-names.ts) and so in the newsroom app's generated types; one title, one shape.
 */
export const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T, options: ObjectOptions = {}) =>
  Type.Object(properties, { ...options, additionalProperties: false });

export const StaffView = closed(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    slug: Type.String(),
    bio: Type.String(),
    role: Role,
    deactivatedAt: Type.Union([DATE_TIME, Type.Null()], { description: "Set while the account is switched off" }),
    createdAt: DATE_TIME,
  },
  { title: "Staff" },
);
export const StaffEnvelope = closed({ staff: StaffView });
/**
 * One line of the staff list. Everyone gets names and ids (bylines, the author filter); the rest of StaffView,
 * email addresses included, only a role the policy lets read staff details.
 */
export const ColleagueView = closed(
  {
    id: Type.String(),
    name: Type.String(),
    email: Type.Optional(Type.String()),
    slug: Type.Optional(Type.String()),
    bio: Type.Optional(Type.String()),
    role: Type.Optional(Role),
    deactivatedAt: Type.Optional(Type.Union([DATE_TIME, Type.Null()])),
    createdAt: Type.Optional(DATE_TIME),
  },
  { title: "Colleague" },
);

export const InvitationView = closed(
  { email: Type.String(), role: Role, createdAt: DATE_TIME, expiresAt: DATE_TIME },
  { title: "Invitation" },
);

/** The error envelope every /admin/api error answers with (shared/errors.ts, app.ts). */
export const ErrorEnvelope = closed({
  errors: Type.Array(
    closed(
      {
        type: Type.String(),
        code: Type.String(),
        message: Type.String(),
        property: Type.Union([Type.String(), Type.Null()]),
        help: Type.Union([Type.String(), Type.Null()]),
        id: Type.String(),
      },
      { title: "Error" },
    ),
  ),
});

const ISO_TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$";
/** An ISO 8601 time with its zone, as the app sends it. */
export const TIME_INPUT = Type.String({ pattern: ISO_TIME });

/** A TIME_INPUT as a Date; the pattern lets through impossible ones (2031-02-30), which are refused here. */
export function parseTimeInput(value: string, property: string): Date {
  const when = new Date(value);
  if (Number.isNaN(when.getTime())) throw new Invalid("INVALID_TIME", "That is not a real date and time", { property });
  return when;
}

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
export const Kind = literals(content.ARTICLE_KINDS);
export const Status = literals(content.ARTICLE_STATUSES);
export const CorrectionKind = literals(content.CORRECTION_KINDS);
const text = (maxLength: number) => Type.String({ maxLength });

/** Where new articles start on the paywall (a section's or a kind's default). */
export const AccessDefault = closed(
  { accessLevel: literals(content.ACCESS_LEVELS), isMetered: Type.Boolean() },
  { title: "AccessDefault" },
);

export const FeatureImage = closed(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    alt: text(500),
    caption: Type.Optional(text(1000)),
    credit: Type.Optional(text(300)),
  },
  { title: "FeatureImage" },
);

/** Everything the editor saves; the body is checked against the document allow-list by content. */
export const ArticleFields = closed(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    dek: Type.Optional(text(1000)),
    kind: Kind,
    sectionId: UUID,
    authorIds: Type.Array(UUID, { minItems: 1, maxItems: 10 }),
    tagNames: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 30 })),
    body: Type.Unknown(),
    featureImage: Type.Optional(FeatureImage),
    accessLevel: Type.Optional(literals(content.ACCESS_LEVELS)),
    isMetered: Type.Optional(Type.Boolean()),
    isFeatured: Type.Optional(Type.Boolean()),
    metaTitle: Type.Optional(text(300)),
    metaDescription: Type.Optional(text(500)),
    socialTitle: Type.Optional(text(300)),
    socialDescription: Type.Optional(text(500)),
    canonicalUrl: Type.Optional(text(2000)),
    /** Syndicated or agency copy: who it comes from ("AzerNEWS", a wire agency). */
    sourceName: Type.Optional(text(200)),
    /** The source's page for the piece, http or https; needs `sourceName`. */
    sourceUrl: Type.Optional(text(2000)),
    /** Curly quotes, dashes and non-breaking spaces applied on save (default true); false keeps the text as typed. */
    smartTypography: Type.Optional(Type.Boolean()),
  },
  { title: "ArticleFields" },
);

/** A section or an author as an article names it. */
const Ref = closed({ id: Type.String(), slug: Type.String(), name: Type.String() }, { title: "Ref" });

export const ArticleSummary = closed(
  {
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    dek: Type.String(),
    kind: Kind,
    status: Status,
    section: Ref,
    authors: Type.Array(Ref),
    version: Type.Integer(),
    publishedAt: Type.Union([DATE_TIME, Type.Null()]),
    updatedAt: DATE_TIME,
    createdAt: DATE_TIME,
  },
  { title: "ArticleSummary" },
);

export const CorrectionView = closed(
  {
    id: Type.String(),
    kind: CorrectionKind,
    note: Type.String(),
    createdAt: DATE_TIME,
  },
  { title: "Correction" },
);

export const ArticleDetail = closed(
  {
    ...ArticleSummary.properties,
    fields: ArticleFields,
    corrections: Type.Array(CorrectionView),
  },
  { title: "ArticleDetail" },
);
export const ArticleEnvelope = closed({ article: ArticleDetail });

/** After a workflow step: where the article now stands, and the version to edit from next. */
export const WorkflowAnswer = closed({
  article: closed({ id: Type.String(), status: Status, version: Type.Integer() }),
});

/** A stale save: nothing was written; both versions, so the editor can show the difference and choose. */
export const ConflictEnvelope = closed(
  {
    errors: ErrorEnvelope.properties.errors,
    current: closed({ version: Type.Integer(), fields: ArticleFields }),
    yours: closed({ baseVersion: Type.Integer(), fields: ArticleFields }),
  },
  { title: "Conflict" },
);
