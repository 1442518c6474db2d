/**
 * Names the API's shapes in its OpenAPI document: every schema with a `title` (api-schema.ts's `closed(…, {
 * title })`) moves to components.schemas under that title, and where it was becomes a $ref. Done on the document
 * only: an `$id` would do the same, but Fastify's serializer refuses a schema that holds one `$id` twice (an
 * article names two Refs), so the routes' own schemas stay as they are.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const REF_PREFIX = "#/components/schemas/";

/** A copy of the document with its titled schemas named; two different shapes with one title are refused. */
export function nameTitledSchemas<T extends object>(document: T): T {
  const named = new Map<string, { schema: Json; text: string }>();

  const visit = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== "object") return node;
    const copy: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) copy[key] = visit(value);
    // A schema's title is a string; an object's property called "title" is a schema, so it is not matched.
    if (typeof copy.title !== "string" || !("type" in copy || "anyOf" in copy)) return copy;
    // OpenAPI 3.0 writes "X or null" as X with `nullable: true`: the name is X's, the null stays where it was.
    const { nullable, ...schema } = copy;
    const title = copy.title;
    const text = JSON.stringify(schema);
    const before = named.get(title);
    if (before && before.text !== text) {
      throw new Error(`Two different schemas are called "${title}" in the newsroom API: give one another title`);
    }
    named.set(title, { schema, text });
    const ref = { $ref: `${REF_PREFIX}${title}` };
    // The one OpenAPI 3.0 schema that accepts null alone (as @fastify/swagger writes it).
    return nullable === true ? { anyOf: [ref, { type: "object", nullable: true, enum: [null] }] } : ref;
  };

  const result = visit(document as Json) as { [key: string]: Json };
  const components = (result.components ?? {}) as { [key: string]: Json };
  const schemas = { ...((components.schemas ?? {}) as { [key: string]: Json }) };
  for (const [title, { schema }] of [...named].sort(([a], [b]) => (a < b ? -1 : 1))) schemas[title] = schema;
  result.components = { ...components, schemas };
  return result as T;
}
