import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, type ErrorCode, type FieldErrors } from './errors.ts';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
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

function issueMessage(issue: AjvIssue): string {
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not allowed';
    case 'enum':
      return `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    case 'format':
      return `must be a valid ${String(issue.params.format)}`;
    default:
      return issue.message ?? 'is invalid';
  }
}

export function validationFieldErrors(issues: AjvIssue[], context: string | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    // anyOf/oneOf wrappers only repeat what their branches already said.
    if (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') continue;
    const name = fieldName(issue, context);
    const message = issueMessage(issue);
    const list = out[name] ?? [];
    if (!list.includes(message)) list.push(message);
    out[name] = list;
  }
  // A nullable field fails both branches of its anyOf; "must be null" only hides the real problem.
  for (const [name, messages] of Object.entries(out)) {
    if (messages.length > 1) out[name] = messages.filter((message) => message !== 'must be null');
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

/** Translates anything thrown into the contract's envelope; 5xx never reveal internals. */
export function toApiError(error: FastifyError | Error): ApiError {
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
      return new ApiError(400, 'invalid_json', 'The request body is not valid JSON', {}, 'Malformed JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'payload_too_large', 'The request body is too large', {}, 'Payload too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'unsupported_media_type', 'Send the request body as application/json');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new ApiError(400, 'invalid_json', 'The request body is not valid JSON', {}, 'Malformed JSON');
  }
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

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ error_code: apiError.code, status: apiError.statusCode }, apiError.message);
    return reply.status(apiError.statusCode).type('application/json').send(apiError.toBody());
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const apiError = new ApiError(
      404,
      'not_found',
      `No route for ${request.method} ${path}`,
      {},
      'Not found',
    );
    return reply.status(404).type('application/json').send(apiError.toBody());
  });
}
