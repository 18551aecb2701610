import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { describeBytes } from '../lib/bytes.ts';
import { ApiError, type ErrorCode, type FieldErrors } from './errors.ts';
import { noteErrorAnswer } from './request-log.ts';
import { notImplemented, type UnbuiltOperations } from './unbuilt.ts';

/** An Ajv error; with `verbose` it also carries the schema that failed (`parentSchema`). */
interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
}

/** `/items/0/quantity` -> `items.0.quantity`; a missing property names itself. */
function fieldName(issue: AjvIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  const child =
    issue.keyword === 'required'
      ? String(issue.params.missingProperty)
      : issue.keyword === 'additionalProperties'
        ? String(issue.params.additionalProperty)
        : '';
  const name = [path, child].filter(Boolean).join('.');
  return name || (context === 'body' ? 'body' : (context ?? 'request'));
}

/**
 * The values a schema admits when it is a closed list (a TypeBox union of literals, an enum, either
 * of them nullable), else undefined.
 */
function allowedValues(schema: unknown): unknown[] | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const node = schema as Record<string, unknown>;
  if ('const' in node) return [node.const];
  if (Array.isArray(node.enum)) {
    const nullable = Array.isArray(node.type) && node.type.includes('null') && !node.enum.includes(null);
    return nullable ? [...node.enum, null] : node.enum;
  }
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) {
    const values = branches.map(allowedValues);
    return values.every((list) => list !== undefined) ? values.flat() : undefined;
  }
  if (node.type === 'null') return [null];
  return undefined;
}

function oneOfMessage(values: unknown[]): string {
  const shown = values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  return shown.length === 1 ? `must be ${shown[0]}` : `must be one of: ${shown.join(', ')}`;
}

/** Patterns whose meaning is the same wherever they appear. */
const PATTERN_PHRASES: Record<string, string> = {
  '\\S': 'must not be blank',
  '^\\d{1,15}$': 'must be a whole number of at most 15 digits',
};

/** Formats whose name alone does not tell someone filling in the field what to write. */
const FORMAT_PHRASES: Record<string, string> = {
  'date-time': 'must be a valid date-time (ISO 8601, e.g. 2025-01-30T10:00:00Z)',
  date: 'must be a valid date (ISO 8601, e.g. 2025-01-30)',
  uuid: 'must be a valid UUID (e.g. 7e7f8c12-2e1d-4b31-97ad-5ca4f8d1c2d0)',
  uri: 'must be a valid absolute URL (e.g. https://example.com/page)',
};

/** A schema's own words for what it expects: its description or title, as a sentence fragment. */
function schemaWords(schema: Record<string, unknown> | undefined): string | undefined {
  const text = [schema?.description, schema?.title].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  if (!text) return undefined;
  const trimmed = text.trim().replace(/\.$/, '');
  // "Decimal amount" -> "decimal amount", but "URL of ..." and "UUIDv7 ..." keep their capitals.
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}

function patternMessage(issue: AjvIssue): string {
  const pattern = String(issue.params.pattern);
  const phrase = PATTERN_PHRASES[pattern];
  if (phrase) return phrase;
  const words = schemaWords(issue.parentSchema);
  return words ? `is not in the expected format: ${words}` : `must match the pattern ${pattern}`;
}

function issueMessage(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'enum':
      return oneOfMessage(issue.params.allowedValues as unknown[]);
    case 'const':
      return oneOfMessage([issue.params.allowedValue]);
    case 'pattern':
      return patternMessage(issue);
    case 'format':
      return FORMAT_PHRASES[String(issue.params.format)] ?? `must be a valid ${String(issue.params.format)}`;
    default:
      return issue.message ?? 'is invalid';
  }
}

const BRANCH_KEYWORDS = new Set(['const', 'enum', 'type']);

export function validationFieldErrors(issues: AjvIssue[], context: string | undefined): FieldErrors {
  // A union of literals fails once per literal ("must be equal to constant"); say the list instead.
  // Nested unions (a nullable enum) report the inner list first and the full one last.
  const closedLists = new Map<string, string>();
  for (const issue of issues) {
    if (issue.keyword !== 'anyOf' && issue.keyword !== 'oneOf') continue;
    const values = allowedValues(issue.parentSchema);
    if (values) closedLists.set(issue.instancePath, oneOfMessage(values));
  }
  const out: FieldErrors = {};
  const add = (name: string, message: string) => {
    const list = out[name] ?? [];
    if (!list.includes(message)) list.push(message);
    out[name] = list;
  };
  for (const issue of issues) {
    // No body at all (none sent, an empty JSON one, or `null`) where the route needs one; Fastify
    // validates an absent body as null.
    if (context === 'body' && issue.instancePath === '' && issue.data == null) {
      add('body', 'is required');
      continue;
    }
    const listed = closedLists.get(issue.instancePath);
    if (listed && BRANCH_KEYWORDS.has(issue.keyword)) continue;
    if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') {
      // Other unions' wrappers only repeat what their branches already said.
      if (listed) add(fieldName(issue, context), listed);
      continue;
    }
    add(fieldName(issue, context), issueMessage(issue));
  }
  // A nullable field fails both branches of its anyOf; "must be null" only hides the real problem.
  for (const [name, messages] of Object.entries(out)) {
    if (messages.length > 1) out[name] = messages.filter((message) => message !== 'must be null');
    // The full list of a nullable closed list says all the inner one said.
    const lists = out[name]!.filter((message) => message.startsWith('must be one of: '));
    if (lists.length > 1) {
      const longest = lists.reduce((a, b) => (b.length > a.length ? b : a));
      out[name] = out[name]!.filter((message) => !lists.includes(message) || message === longest);
    }
  }
  return out;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'invalid_token',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'state_conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/** Errors raised while reading the body, before the route had a say. */
const BODY_ERRORS = new Set([
  'FST_ERR_CTP_INVALID_JSON_BODY',
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_BODY_TOO_LARGE',
  'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
]);

const invalidJson = () =>
  new ApiError(400, 'invalid_json', 'The request body is not valid JSON', {}, 'Malformed JSON');

/**
 * Translates anything thrown into the contract's envelope; 5xx never reveal internals.
 * `bodyLimit` is the limit the request was held to, named in a 413.
 */
export function toApiError(error: FastifyError | Error, bodyLimit?: number): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fastifyError.validation) {
    const fields = validationFieldErrors(fastifyError.validation, fastifyError.validationContext);
    return new ApiError(
      422,
      'validation_failed',
      'The request has invalid fields',
      fields,
      'Validation failed',
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return invalidJson();
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(
        413,
        'payload_too_large',
        bodyLimit
          ? `The request body is larger than the limit of ${describeBytes(bodyLimit)}`
          : 'The request body is too large',
        {},
        'Payload too large',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'Send the request body as application/json');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return invalidJson();
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return new ApiError(status, STATUS_CODES[status] ?? 'bad_request', error.message || 'Bad request');
  }
  return new ApiError(
    500,
    'server_error',
    'Something went wrong on our side; quote the request id when reporting it',
    {},
    'Server error',
  );
}

const PROBED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * The methods a route or an unbuilt operation answers on this path. OPTIONS alone does not make a
 * path exist: the CORS preflight routes match every path under the browser prefixes.
 */
function methodsOf(app: FastifyInstance, unbuilt: UnbuiltOperations, path: string): string[] {
  const methods = PROBED_METHODS.filter(
    (method) => app.findRoute({ method, url: path }) !== null || unbuilt.find(method, path) !== undefined,
  );
  return methods.some((method) => method !== 'OPTIONS') ? methods : [];
}

/**
 * What a request no route took gets: 501 for a contract operation not built yet, 405 with `Allow`
 * for a method the path does not take, else 404.
 */
function unmatchedRoute(
  app: FastifyInstance,
  unbuilt: UnbuiltOperations,
  request: FastifyRequest,
  reply: FastifyReply,
): ApiError {
  const path = request.url.split('?')[0] ?? request.url;
  const operation = unbuilt.find(request.method, path);
  if (operation) return notImplemented(operation.operationId);
  const allowed = methodsOf(app, unbuilt, path);
  if (allowed.length > 0) {
    reply.header('allow', allowed.join(', '));
    return new ApiError(
      405,
      'method_not_allowed',
      `${request.method} is not allowed on ${path}; it takes ${allowed.join(', ')}`,
      {},
      'Method not allowed',
    );
  }
  return new ApiError(404, 'not_found', `No route for ${request.method} ${path}`, {}, 'Not found');
}

function sendError(request: FastifyRequest, reply: FastifyReply, apiError: ApiError) {
  noteErrorAnswer(request, apiError);
  return reply.status(apiError.statusCode).type('application/json').send(apiError.toBody(request.id));
}

export function registerErrorHandling(app: FastifyInstance, unbuilt: UnbuiltOperations): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // The body is read before routing is known to have failed: a path no route serves is a 404
    // (or 405, or 501) whatever its body holds.
    if (request.is404 && BODY_ERRORS.has(error.code)) {
      return sendError(request, reply, unmatchedRoute(app, unbuilt, request, reply));
    }
    const apiError = toApiError(error, request.routeOptions.bodyLimit);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendError(request, reply, apiError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, unmatchedRoute(app, unbuilt, request, reply)),
  );
}
