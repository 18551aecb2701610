import { STATUS_CODES } from 'node:http';
import {
  ERROR_SCHEMA_REF,
  errorResponseName,
  isObject,
  type Json,
  type JsonObject,
  operationsOf,
} from './components.ts';

/**
 * Examples recorded from this server answering real requests on the demo business
 * (`npm run docs:examples` writes `recorded-examples.json`), keyed by operationId; `errors` holds
 * the error answers every operation of a kind may give, by status and name.
 */
export interface OperationExamples {
  /** Path and query parameter values the recorded request used. */
  parameters?: Record<string, string | number>;
  /** The JSON request body. */
  request?: unknown;
  /** The form fields of a multipart request, as the reference shows them. */
  multipart?: Record<string, string>;
  /** Answers by status: the success body, and errors particular to this operation. */
  responses?: Record<string, unknown>;
}

export interface NamedExample {
  summary: string;
  value: unknown;
  /** `text/plain` for answers that are not JSON (the rate limiter's 429). */
  mediaType?: string;
}

export interface RecordedExamples {
  operations: Record<string, OperationExamples>;
  errors: Record<string, Record<string, NamedExample>>;
}

const componentOf = (document: JsonObject, schema: Json | undefined): JsonObject | undefined => {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return undefined;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const schemas = (document.components as JsonObject).schemas as JsonObject;
  const found = schemas[name];
  return isObject(found) ? found : undefined;
};

function applyParameters(operation: JsonObject, values: Record<string, string | number>): void {
  if (!Array.isArray(operation.parameters)) return;
  for (const parameter of operation.parameters) {
    if (!isObject(parameter) || typeof parameter.name !== 'string') continue;
    const value = values[parameter.name];
    if (value !== undefined) parameter.example = value;
  }
}

function applyRequest(operation: JsonObject, recorded: OperationExamples): void {
  const content = isObject(operation.requestBody) ? operation.requestBody.content : undefined;
  if (!isObject(content)) return;
  const json = content['application/json'];
  if (isObject(json) && recorded.request !== undefined) json.example = recorded.request as Json;
  const form = content['multipart/form-data'];
  if (isObject(form) && recorded.multipart) form.example = recorded.multipart;
}

/**
 * The first success body recorded for a named schema becomes that schema's example, which every
 * operation answering the object shows; an operation that answered something else (the order
 * with its new virtual account, the product after an update) shows its own on the response. An
 * error particular to the operation replaces the shared response of its status (or adds the
 * status, e.g. a 409 the routes do not list).
 */
function applyResponses(
  document: JsonObject,
  operation: JsonObject,
  recorded: Record<string, unknown>,
): void {
  const responses = operation.responses as JsonObject;
  for (const [status, value] of Object.entries(recorded)) {
    if (Number(status) >= 400) {
      responses[status] = {
        description: STATUS_CODES[Number(status)] ?? status,
        content: { 'application/json': { schema: { $ref: ERROR_SCHEMA_REF }, example: value as Json } },
      };
      continue;
    }
    const answer = responses[status];
    const media =
      isObject(answer) && isObject(answer.content) ? answer.content['application/json'] : undefined;
    if (!isObject(media)) continue;
    const component = componentOf(document, media.schema);
    const shown = component?.examples;
    if (component && !Array.isArray(shown)) component.examples = [value as Json];
    else if (!Array.isArray(shown) || JSON.stringify(shown[0]) !== JSON.stringify(value))
      media.example = value as Json;
  }
}

function applyErrors(document: JsonObject, errors: RecordedExamples['errors']): void {
  const shared = (document.components as JsonObject).responses as JsonObject;
  for (const [status, named] of Object.entries(errors)) {
    const name = errorResponseName(status);
    const response = name ? shared[name] : undefined;
    if (!isObject(response) || !isObject(response.content)) continue;
    for (const [key, example] of Object.entries(named)) {
      const mediaType = example.mediaType ?? 'application/json';
      const found = response.content[mediaType];
      const media: JsonObject = isObject(found)
        ? found
        : { schema: { type: 'string', description: 'Plain text.' } };
      const examples = isObject(media.examples) ? media.examples : {};
      examples[key] = { summary: example.summary, value: example.value as Json };
      media.examples = examples;
      response.content[mediaType] = media;
    }
  }
}

/** Puts the recorded examples into the document (changed in place). */
export function applyExamples(document: JsonObject, recorded: RecordedExamples): void {
  for (const { operation } of operationsOf(document)) {
    const examples = recorded.operations[operation.operationId as string];
    if (!examples) continue;
    if (examples.parameters) applyParameters(operation, examples.parameters);
    applyRequest(operation, examples);
    if (examples.responses) applyResponses(document, operation, examples.responses);
  }
  applyErrors(document, recorded.errors);
}
