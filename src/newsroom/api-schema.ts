/** The TypeBox shapes of the newsroom API's requests and responses: the contract the /admin app builds on. */
import { Type } from "@sinclair/typebox";
import { ROLES } from "./policy.js";

export const EMAIL = Type.String({ minLength: 3, maxLength: 254, pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" });
export const PASSWORD = Type.String({ minLength: 1, maxLength: 1000 });
export const TOKEN = Type.String({ minLength: 20, maxLength: 100, pattern: "^[A-Za-z0-9_-]+$" });
export const UUID = Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" });
/** A Date in code, an ISO 8601 string on the wire. */
export const DATE_TIME = Type.Unsafe<Date>(Type.String({ format: "date-time" }));
export const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const IdParams = Type.Object({ id: UUID }, { additionalProperties: false });

export const closed = <T extends Parameters<typeof Type.Object>[0]>(properties: T) =>
  Type.Object(properties, { additionalProperties: false });

export const StaffView = closed({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  bio: Type.String(),
  role: Role,
  createdAt: DATE_TIME,
});
export const StaffEnvelope = closed({ staff: StaffView });

export const InvitationView = closed({ email: Type.String(), role: Role, createdAt: DATE_TIME, expiresAt: DATE_TIME });

/** The error envelope every /admin/api error answers with (shared/errors.ts, app.ts). */
export const ErrorEnvelope = closed({
  errors: Type.Array(
    closed({
      type: Type.String(),
      code: Type.String(),
      message: Type.String(),
      property: Type.Union([Type.String(), Type.Null()]),
      help: Type.Union([Type.String(), Type.Null()]),
      id: Type.String(),
    }),
  ),
});
