import { isObject, type Json, type JsonObject, operationsOf } from './components.ts';

/**
 * The reference at `/docs` shows the API as two documents, chosen in its top-left selector: what a
 * shop's browser and signed-in buyers call (storefront key, guest token, customer token), and what
 * a business's own systems call (API key or OAuth token). Each is the complete document's
 * operations of that audience with only the components they use. Scalar loads just the one shown,
 * which halves its work before the first paint; `/v3/openapi.json` stays the one whole document.
 */
export type ReferencePart = 'storefront' | 'business';

export const REFERENCE_PARTS: ReadonlyArray<{ part: ReferencePart; title: string }> = [
  { part: 'storefront', title: 'Storefront API' },
  { part: 'business', title: 'Business API' },
];

const BUSINESS_SCHEMES = new Set(['apiKeyAuth', 'scalevOAuth']);
/** Tags whose operations app developers call (public ones included: discovery, token, register). */
const BUSINESS_TAGS = new Set(['OAuth', 'OAuth Billing']);

/**
 * Business operations are those a business API key or OAuth token may call, and the OAuth
 * server's and app billing's own, which an app's developer reads beside them.
 */
export function partOf(operation: JsonObject): ReferencePart {
  const tags = Array.isArray(operation.tags) ? operation.tags : [];
  if (tags.some((tag) => typeof tag === 'string' && BUSINESS_TAGS.has(tag))) return 'business';
  const security = Array.isArray(operation.security) ? operation.security : [];
  const business = security.some(
    (requirement) =>
      isObject(requirement) && Object.keys(requirement).some((name) => BUSINESS_SCHEMES.has(name)),
  );
  return business ? 'business' : 'storefront';
}

/** Names of the components `value` refers to, following references inside components too. */
function referenced(document: JsonObject, value: Json, kind: string, into: Set<string>): Set<string> {
  const prefix = `#/components/${kind}/`;
  const walk = (node: Json) => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (isObject(node)) {
      const ref = node.$ref;
      if (typeof ref === 'string' && ref.startsWith(prefix) && !into.has(ref.slice(prefix.length))) {
        into.add(ref.slice(prefix.length));
        walk(((document.components as JsonObject)[kind] as JsonObject)[ref.slice(prefix.length)] ?? null);
      }
      for (const child of Object.values(node)) walk(child);
    }
  };
  walk(value);
  return into;
}

const pick = (from: Json | undefined, names: Set<string>): JsonObject =>
  isObject(from) ? Object.fromEntries(Object.entries(from).filter(([name]) => names.has(name))) : {};

/** One audience's document: its operations, the components they use, `info` as given. */
export function referencePart(document: JsonObject, part: ReferencePart, info: JsonObject): JsonObject {
  const paths: JsonObject = {};
  const securitySchemes = new Set<string>();
  for (const { path, method, operation } of operationsOf(document)) {
    if (partOf(operation) !== part) continue;
    const item = (paths[path] ?? {}) as JsonObject;
    item[method] = operation;
    paths[path] = item;
    for (const requirement of Array.isArray(operation.security) ? operation.security : []) {
      if (isObject(requirement)) for (const name of Object.keys(requirement)) securitySchemes.add(name);
    }
  }
  const responses = referenced(document, paths, 'responses', new Set());
  const schemas = referenced(document, paths, 'schemas', new Set());
  referenced(document, pick((document.components as JsonObject).responses, responses), 'schemas', schemas);
  const components = document.components as JsonObject;
  return {
    ...document,
    info,
    paths,
    components: {
      securitySchemes: pick(components.securitySchemes, securitySchemes),
      schemas: pick(components.schemas, schemas),
      responses: pick(components.responses, responses),
    },
  };
}
