/**
 * Values shaped by a route's JSON schema (TypeBox emits plain JSON Schema): a plausible value to get
 * past validation, so that a sweep can change one field at a time and reach the handler with it.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  pattern?: string;
  default?: unknown;
}

const FORMATS: Record<string, string> = {
  email: 'sweep@example.test',
  date: '2026-01-15',
  'date-time': '2026-01-15T10:00:00.000Z',
  uri: 'https://example.test/x',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function firstType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? schema.type[0];
  return schema.type;
}

/** Values to use for properties of these names (real ids of the caller's data reach further). */
export type KnownValues = Record<string, unknown>;

export function sampleOf(schema: JsonSchema | undefined, known: KnownValues = {}, depth = 0): unknown {
  if (!schema || depth > 6) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) {
    const chosen = variants.find((v) => v.type !== 'null') ?? variants[0];
    return sampleOf(chosen, known, depth + 1);
  }
  if (schema.allOf?.length) return sampleOf(schema.allOf[0], known, depth + 1);
  switch (firstType(schema)) {
    case 'string':
      if (schema.format && FORMATS[schema.format]) return FORMATS[schema.format];
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(1, Math.ceil(schema.minimum ?? schema.exclusiveMinimum ?? 1));
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const item = sampleOf(schema.items, known, depth + 1);
      return item === undefined ? [] : Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => item);
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const value = name in known ? known[name] : sampleOf(property, known, depth + 1);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Top-level property names of an object schema (through unions of objects too). */
export function propertiesOf(schema: JsonSchema | undefined): string[] {
  if (!schema) return [];
  const names = new Set(Object.keys(schema.properties ?? {}));
  for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
    for (const name of propertiesOf(variant)) names.add(name);
  }
  return [...names];
}

/** For properties that are arrays of objects: the item's property names (one level down). */
export function itemPropertiesOf(schema: JsonSchema | undefined, property: string): string[] {
  const items = schema?.properties?.[property]?.items;
  return items ? propertiesOf(items) : [];
}
