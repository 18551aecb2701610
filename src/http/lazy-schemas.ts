import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import SerializerSelector, { type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Validate = ReturnType<ReturnType<ValidatorFactory>>;
type Serialize = ReturnType<ReturnType<SerializerFactory>>;

export interface LazySchemaCompilers {
  buildValidator: ValidatorFactory;
  buildSerializer: SerializerFactory;
  /** Compiles every schema still waiting for its first request; throws the first that does not compile. */
  compileAll(): number;
}

/**
 * Fastify compiles every route's request validators (Ajv) and response serializers
 * (fast-json-stringify) when the app starts: generated source and code for about 190 serializers and
 * 130 validators, ~35 MB of the embedded server's resident memory, most of it for operations a given
 * installation never calls (docs/performance.md, "Process memory"). These are Fastify's own
 * factories, with each route's schema compiled the first time a request needs it (a few
 * milliseconds, once); what the validators and serializers do is unchanged. `compileAll` builds every
 * one, so a test proves that each schema compiles.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const validators = AjvCompiler();
  const serializers = SerializerSelector();
  const pending = new Set<() => unknown>();

  /** `compile(route)` on first use, remembered; until then listed in `pending`. */
  function later<T>(compile: () => T): () => T {
    let compiled: T | undefined;
    const build = () => {
      if (compiled === undefined) {
        compiled = compile();
        pending.delete(build);
      }
      return compiled;
    };
    pending.add(build);
    return build;
  }

  const buildValidator = ((externalSchemas, options) => {
    const compile = validators(externalSchemas, options);
    return (route) => {
      const build = later(() => compile(route));
      // Fastify reads a failed validation's errors from the function it holds, where Ajv puts them.
      const validate = ((data: unknown) => {
        const inner = build();
        const result = inner(data);
        validate.errors = inner.errors;
        return result;
      }) as Validate;
      return validate;
    };
  }) as ValidatorFactory;

  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    const compile = serializers(externalSchemas, options);
    return (route) => {
      const build = later<Serialize>(() => compile(route));
      return (doc: unknown) => build()(doc);
    };
  };

  return {
    buildValidator,
    buildSerializer,
    compileAll: () => {
      const builds = [...pending];
      for (const build of builds) build();
      return builds.length;
    },
  };
}
