/**
 * Fastify's request validators and response serializers, compiled by a route's first use instead of at start-up.
 * Compiling every route's schemas when the server became ready took most of a second of each start (ajv for
 * ~200 routes' inputs, fast-json-stringify for their responses, the newsroom's article envelope alone twelve
 * times), though most routes answer nothing in a given process's life. Each schema is still compiled once, by
 * the same compilers with the same options; one they cannot compile now fails its route's first request, which
 * the route's tests exercise, instead of the start.
 */
import AjvCompiler from "@fastify/ajv-compiler";
import fastJsonStringify from "fast-json-stringify";

type Route = { schema?: unknown };
/** The shapes of Fastify's `schemaController.compilersFactory` builders. */
type Factory<F> = (externalSchemas: unknown, options: unknown) => (route: Route) => F;

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type ValidatorFactory = AjvCompiler.BuildCompilerFromPool;
type ValidatorCompile = ReturnType<ValidatorFactory>;

export function lazyRequestValidators(): ValidatorFactory {
  const ajvCompilers = AjvCompiler();
  // Fastify calls the factory for the root and again for a plugin that adds shared schemas ($ref targets).
  return (externalSchemas, options) => {
    // Making the Ajv instance (and compiling its meta-schema) waits too, for the first validation.
    let compiler: ValidatorCompile | undefined;
    const compile: ValidatorCompile = (route) => {
      let validate: Validate | undefined;
      // Fastify reads a failed validation's `errors` from the function it was given.
      const lazy: Validate = (data) => {
        compiler ??= ajvCompilers(externalSchemas, options);
        validate ??= compiler(route) as Validate;
        const result = validate(data);
        lazy.errors = validate.errors;
        return result;
      };
      // Fastify calls only this function and reads its `errors`; Ajv's other fields are never used.
      return lazy as ReturnType<ValidatorCompile>;
    };
    return compile;
  };
}

type Serialize = (data: unknown) => string;
type SerializerOptions = Parameters<typeof fastJsonStringify>[1];

export function lazyResponseSerializers(): Factory<Serialize> {
  return (externalSchemas, options) => {
    const fjsOptions = { ...(options as SerializerOptions), schema: externalSchemas } as SerializerOptions;
    // Routes often share a response schema object: compiled once for all of them.
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
