/**
 * Fastify's response serializers, compiled by a route's first response instead of at start-up, and once per
 * schema: fast-json-stringify took most of a second at every start to compile ~200 routes' schemas (the
 * newsroom's article envelope alone twelve times), though most routes answer nothing in a given process's life.
 * A schema fast-json-stringify cannot compile now fails that route's first response, which the route's own
 * tests exercise, instead of the start.
 */
import fastJsonStringify from "fast-json-stringify";

type Serialize = (data: unknown) => string;
type Options = Parameters<typeof fastJsonStringify>[1];
/** The shape of Fastify's `schemaController.compilersFactory.buildSerializer`. */
type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: { schema?: unknown }) => Serialize;

export function lazyResponseSerializers(): SerializerFactory {
  // Fastify calls the factory once for the root and again for a plugin that adds shared schemas ($ref targets).
  return (externalSchemas, options) => {
    const fjsOptions = { ...(options as Options), schema: externalSchemas } as Options;
    const compiled = new WeakMap<object, Serialize>();
    const compile = (schema: object): Serialize => {
      let serialize = compiled.get(schema);
      if (!serialize) {
        serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0], fjsOptions) as Serialize;
        compiled.set(schema, serialize);
      }
      return serialize;
    };
    return ({ schema }) => {
      let serialize: Serialize | undefined;
      return (data) => {
        serialize ??= compile(schema as object);
        return serialize(data);
      };
    };
  };
}
