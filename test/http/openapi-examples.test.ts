import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import recorded from '../../src/docs/recorded-examples.json' with { type: 'json' };
import { ALL_ROUTES } from '../../src/modules/index.ts';
import { getTestContext } from '../helpers/app.ts';
import { send } from '../helpers/tenants.ts';

// biome-ignore lint/suspicious/noExplicitAny: the parsed document, as app.inject types it, read field by field.
type Json = any;

const RERECORD = 'run `npm run docs:examples` to record the examples again';

let document: Json;
beforeAll(async () => {
  const response = await send(await getTestContext(), 'GET', '/v3/openapi.json');
  expect(response.statusCode).toBe(200);
  document = response.json();
});

/**
 * The schema with every `$ref` replaced by its component, and objects closed: an example may not
 * show a field the schema does not have (the server would drop it from a request, and never
 * answers it), so a renamed or removed field shows up here.
 */
function resolved(schema: Json, depth = 0): Json {
  if (depth > 40) throw new Error('schema nesting too deep (a recursive component?)');
  if (Array.isArray(schema)) return schema.map((item) => resolved(item, depth + 1));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolved(document.components.schemas[name], depth + 1);
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples') continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, resolved(s, depth + 1)]))
        : key === 'enum' || key === 'const' || key === 'default'
          ? value
          : resolved(value, depth + 1);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const strict = addFormats.default(new Ajv({ strict: false, allErrors: true }));
// Parameters arrive as text and are coerced, as Fastify does (`"2"` is a fine integer page size).
const coercing = addFormats.default(new Ajv({ strict: false, allErrors: true, coerceTypes: true }));

function check(validator: Ajv, schema: Json, value: unknown, where: string, problems: string[]): void {
  let validate: ValidateFunction;
  try {
    validate = validator.compile({
      type: 'object',
      properties: { value: resolved(schema) },
      required: ['value'],
    });
  } catch (error) {
    problems.push(`${where}: schema does not compile (${(error as Error).message})`);
    return;
  }
  if (!validate({ value: structuredClone(value) })) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);
    problems.push(`${where}: ${errors.join('; ')}`);
  }
}

interface Operation {
  id: string;
  method: string;
  path: string;
  operation: Json;
}

function operations(): Operation[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Json>).map(([method, operation]) => ({
      id: operation.operationId,
      method,
      path,
      operation,
    })),
  );
}

/** A response object, following a `$ref` into `components.responses`. */
function responseOf(answer: Json): Json {
  return typeof answer?.$ref === 'string'
    ? document.components.responses[answer.$ref.replace('#/components/responses/', '')]
    : answer;
}

/** The examples a media type object shows: its own, else its named schema's. */
function examplesOf(media: Json): unknown[] {
  if (media.example !== undefined) return [media.example];
  if (media.examples) return Object.values(media.examples as Record<string, Json>).map((e) => e.value);
  const ref = media.schema?.$ref;
  if (typeof ref === 'string') return document.components.schemas[ref.split('/').pop()!].examples ?? [];
  return [];
}

describe('API reference examples', () => {
  it('were recorded for exactly the implemented operations', () => {
    const ids = ALL_ROUTES.map((route) => route.operationId).sort();
    expect(Object.keys(recorded.operations).sort(), RERECORD).toEqual(ids);
  });

  it('validate against their schemas, parameters, bodies, answers and errors alike', () => {
    const problems: string[] = [];
    for (const [name, schema] of Object.entries(document.components.schemas as Record<string, Json>)) {
      for (const [i, example] of (schema.examples ?? []).entries())
        check(strict, schema, example, `components.schemas.${name}.examples[${i}]`, problems);
    }
    for (const [name, response] of Object.entries(document.components.responses as Record<string, Json>)) {
      for (const [type, media] of Object.entries(response.content as Record<string, Json>)) {
        for (const [key, example] of Object.entries((media.examples ?? {}) as Record<string, Json>))
          check(strict, media.schema, example.value, `components.responses.${name} ${type} ${key}`, problems);
      }
    }
    for (const { id, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.example !== undefined)
          check(coercing, parameter.schema, parameter.example, `${id} parameter ${parameter.name}`, problems);
      }
      for (const [type, media] of Object.entries(
        (operation.requestBody?.content ?? {}) as Record<string, Json>,
      )) {
        if (media.example !== undefined)
          check(strict, media.schema, media.example, `${id} request ${type}`, problems);
      }
      for (const [status, answer] of Object.entries(operation.responses as Record<string, Json>)) {
        if (answer.$ref) continue;
        for (const [type, media] of Object.entries((answer.content ?? {}) as Record<string, Json>)) {
          if (media.example !== undefined)
            check(strict, media.schema, media.example, `${id} ${status} ${type}`, problems);
        }
      }
    }
    expect(problems, RERECORD).toEqual([]);
  });

  it('show every operation with a request, every answer it documents and its path parameters', () => {
    const missing: string[] = [];
    for (const { id, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path' && parameter.example === undefined)
          missing.push(`${id}: path parameter ${parameter.name}`);
      }
      for (const [type, media] of Object.entries(
        (operation.requestBody?.content ?? {}) as Record<string, Json>,
      )) {
        if (examplesOf(media).length === 0) missing.push(`${id}: request ${type}`);
      }
      for (const [status, answer] of Object.entries(operation.responses as Record<string, Json>)) {
        for (const [type, media] of Object.entries(
          (responseOf(answer).content ?? {}) as Record<string, Json>,
        )) {
          if (examplesOf(media).length === 0) missing.push(`${id}: ${status} ${type}`);
        }
      }
    }
    expect(missing, RERECORD).toEqual([]);
  });

  it('show the error answers clients must handle, as the server gives them', () => {
    const shared = document.components.responses;
    const example = (name: string, key: string) =>
      shared[name].content['application/json'].examples[key].value;
    expect(example('Unauthorized', 'missing_key').error_code).toBe('invalid_token');
    expect(example('Forbidden', 'insufficient_scope')).toMatchObject({
      error_code: 'insufficient_scope',
      message: 'This request requires the store:read scope',
    });
    expect(example('NotFound', 'not_found').error_code).toBe('not_found');
    expect(example('Conflict', 'state_conflict').error_code).toBe('state_conflict');
    expect(example('ValidationFailed', 'validation_failed').errors.name).toEqual(['is required']);
    expect(shared.RateLimited.content['text/plain'].examples.rate_limited.value).toMatch(
      /^Rate limit exceeded\. Retry in \d+ seconds\.$/,
    );

    const checkout = document.paths['/v3/stores/{store_id}/public/checkout'].post;
    expect(checkout.responses['409'].content['application/json'].example.error_code).toBe('state_conflict');
    expect(Object.keys(checkout.responses['422'].content['application/json'].example.errors)).toEqual([
      'customer_email',
      'payment_method',
    ]);
    // Every operation addressing a record by path documents 404.
    for (const { id, operation } of operations()) {
      if ((operation.parameters ?? []).some((p: Json) => p.in === 'path'))
        expect(operation.responses['404'], id).toBeDefined();
    }
  });

  it('are built from the demo business: a checkout of its products, its product, its store', () => {
    const checkout = document.paths['/v3/stores/{store_id}/public/checkout'].post;
    const body = checkout.requestBody.content['application/json'].example;
    expect(body).toMatchObject({ payment_method: 'bank_transfer', discount_code_code: 'HEMAT10' });
    expect(body.items.length).toBeGreaterThan(0);
    const order = document.components.schemas.PublicOrder.examples[0];
    expect(order.orderlines.map((line: Json) => line.name)).toContain(
      'Kaos Polos Premium Cotton Combed 30s - Hitam / L',
    );
    expect(order.store.name).toBe('Toko Demo');
    const product =
      document.paths['/v3/products/{id}'].get.responses['200'].content['application/json'].example;
    expect(product).toMatchObject({ name: 'Kaos Polos Nexus', item_type: 'physical' });
    expect(product.variants).toHaveLength(4);
  });
});
