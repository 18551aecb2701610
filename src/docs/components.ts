import { STATUS_CODES } from 'node:http';

/**
 * Shapes the generated OpenAPI document for readers: @fastify/swagger writes every route's schemas
 * inline (about 900 kB, which took the reference UI three seconds to load), so the named objects
 * move to `components.schemas`, the error envelope answers to `components.responses`, and unions of
 * literals become plain enums. None of it changes what any schema accepts.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: Json | undefined): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Keywords whose values are data, not schemas: never walked into. */
const DATA_KEYWORDS = new Set(['example', 'examples', 'enum', 'const', 'default']);
/** Keywords whose values map arbitrary names (a property may well be called `default`) to schemas. */
const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs']);

/** Rebuilds `value` bottom-up, passing every object in it (schemas and the objects around them) to `visit`. */
function mapSchemas(value: Json, visit: (node: JsonObject) => Json): Json {
  if (Array.isArray(value)) return value.map((item) => mapSchemas(item, visit));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (DATA_KEYWORDS.has(key)) out[key] = child;
    else if (NAMED_SCHEMAS.has(key) && isObject(child)) {
      out[key] = Object.fromEntries(
        Object.entries(child).map(([name, schema]) => [name, mapSchemas(schema, visit)]),
      );
    } else out[key] = mapSchemas(child, visit);
  }
  return visit(out);
}

/** `{type: 'string', enum: ['a']}` or `{type: 'string', const: 'a'}`: one literal and nothing else. */
function literalOf(branch: Json): { type: string; values: Json[] } | undefined {
  if (!isObject(branch) || typeof branch.type !== 'string') return undefined;
  const keys = Object.keys(branch).filter((key) => key !== 'type');
  if (keys.length !== 1) return undefined;
  if (keys[0] === 'const') return { type: branch.type, values: [branch.const as Json] };
  if (keys[0] === 'enum' && Array.isArray(branch.enum)) return { type: branch.type, values: branch.enum };
  return undefined;
}

/** `anyOf` of same-typed literals (TypeBox's `Union([Literal…])`), optionally with null, as one enum. */
function collapseLiteralUnion(node: JsonObject): Json {
  const branches = node.anyOf;
  if (!Array.isArray(branches) || branches.length < 2) return node;
  const nullable = branches.some(
    (branch) => isObject(branch) && branch.type === 'null' && Object.keys(branch).length === 1,
  );
  const literals = branches
    .filter((branch) => !(isObject(branch) && branch.type === 'null' && Object.keys(branch).length === 1))
    .map(literalOf);
  if (literals.some((literal) => !literal)) return node;
  const types = new Set(literals.map((literal) => literal!.type));
  if (types.size !== 1) return node;
  const [type] = types as Set<string>;
  const { anyOf: _, ...rest } = node;
  const values = literals.flatMap((literal) => literal!.values);
  return { ...rest, type: nullable ? [type!, 'null'] : type!, enum: nullable ? [...values, null] : values };
}

const isNamedObject = (node: JsonObject) =>
  typeof node.title === 'string' && (node.type === 'object' || isObject(node.properties));

/** Titles used by more than one different schema (left inline: one name must mean one shape). */
function clashingTitles(document: JsonObject): Set<string> {
  const shapes = new Map<string, string>();
  const clashes = new Set<string>();
  mapSchemas(document.paths ?? {}, (node) => {
    if (isNamedObject(node)) {
      const title = node.title as string;
      const shape = JSON.stringify(node);
      const seen = shapes.get(title);
      if (seen === undefined) shapes.set(title, shape);
      else if (seen !== shape) clashes.add(title);
    }
    return node;
  });
  return clashes;
}

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'BadRequest',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'NotFound',
  '409': 'Conflict',
  '422': 'ValidationFailed',
  '429': 'RateLimited',
  '500': 'InternalError',
  '503': 'Unavailable',
};

export const ERROR_SCHEMA_REF = '#/components/schemas/ApiErrorResponse';
export const errorResponseName = (status: string): string | undefined => ERROR_RESPONSES[status];

export interface Operation {
  path: string;
  method: string;
  operation: JsonObject;
}

export function operationsOf(document: JsonObject): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (isObject(operation) && typeof operation.operationId === 'string')
        found.push({ path, method, operation });
    }
  }
  return found;
}

/**
 * Error answers share one response object per status in `components.responses`, and every
 * operation with a path parameter documents 404 (an id that names nothing, or another tenant's).
 */
function shareErrorResponses(document: JsonObject, responses: JsonObject): void {
  for (const { operation } of operationsOf(document)) {
    const answers = operation.responses as JsonObject;
    const hasPathParameter =
      Array.isArray(operation.parameters) &&
      operation.parameters.some((parameter) => isObject(parameter) && parameter.in === 'path');
    if (hasPathParameter && !answers['404']) answers['404'] = { $ref: '#/components/responses/NotFound' };
    for (const [status, answer] of Object.entries(answers)) {
      const name = ERROR_RESPONSES[status];
      const schema =
        isObject(answer) && isObject(answer.content) ? answer.content['application/json'] : undefined;
      if (!name || !isObject(schema) || !isObject(schema.schema) || schema.schema.$ref !== ERROR_SCHEMA_REF)
        continue;
      responses[name] ??= {
        description: STATUS_CODES[Number(status)] ?? name,
        content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF } } },
      };
      answers[status] = { $ref: `#/components/responses/${name}` };
    }
    for (const [status, answer] of Object.entries(answers)) {
      if (isObject(answer) && answer.description === 'Default Response')
        answer.description = STATUS_CODES[Number(status)] ?? 'Response';
    }
  }
}

/** The document with named schemas and error responses in `components`. Returns a new object. */
export function componentize(input: JsonObject): JsonObject {
  const document = mapSchemas(input, collapseLiteralUnion) as JsonObject;
  const clashes = clashingTitles(document);
  const schemas: JsonObject = {};
  document.paths = mapSchemas(document.paths ?? {}, (node) => {
    if (!isNamedObject(node) || clashes.has(node.title as string)) return node;
    schemas[node.title as string] ??= node;
    return { $ref: `#/components/schemas/${node.title as string}` };
  });
  const components = (document.components ?? {}) as JsonObject;
  components.schemas = { ...(components.schemas as JsonObject | undefined), ...schemas };
  const responses: JsonObject = {};
  shareErrorResponses(document, responses);
  components.responses = responses;
  document.components = components;
  return document;
}
