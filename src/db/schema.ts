/** Every module's tables, for drizzle-kit and for typed queries. */

export * from "../billing/schema.js";
export * from "../content/schema.js";
export * from "../email/schema.js";
export * from "../ghost-api/schema.js";
export * from "../limits/schema.js";
export * from "../media/schema.js";
export * from "../members/schema.js";
export * from "../newsroom/schema.js";
export * from "../paywall/schema.js";
