/**
 * The contract's error envelope: `{error, error_code, message, errors}`, plus `request_id` (the
 * `X-Request-Id` of the answer, so a client that shows only the body still shows it). Every error
 * response, from a failed validation to an unknown route to an uncaught exception, goes through
 * `ApiError` and the one error handler in `error-handler.ts`, which adds the request id.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'invalid_cursor'
  | 'business_selection_required'
  | 'invalid_token'
  | 'forbidden'
  | 'insufficient_scope'
  | 'business_access_denied'
  | 'origin_not_allowed'
  | 'not_found'
  | 'business_not_found'
  | 'method_not_allowed'
  | 'not_implemented'
  | 'state_conflict'
  | 'insufficient_balance'
  | 'order_blocked'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'rate_limited'
  | 'server_error'
  | 'service_unavailable'
  // OAuth 2.0 protocol errors (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707), in the house envelope.
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata';

/** Field name -> messages, as clients render them next to form inputs. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  error: string;
  error_code: ErrorCode;
  message: string;
  errors: FieldErrors;
  /** Added by the error handler; absent where a body is stored to be replayed later. */
  request_id?: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors = {},
    /** Short title; defaults to the message so clients reading only `error` still see the reason. */
    readonly title: string = message,
  ) {
    super(message);
  }

  toBody(requestId?: string): ErrorBody {
    const body: ErrorBody = {
      error: this.title,
      error_code: this.code,
      message: this.message,
      errors: this.fieldErrors,
    };
    if (requestId !== undefined) body.request_id = requestId;
    return body;
  }

  /** The error a stored envelope describes (an `Idempotency-Key` replay answers it again). */
  static fromBody(statusCode: number, body: ErrorBody): ApiError {
    return new ApiError(statusCode, body.error_code, body.message, body.errors, body.error);
  }
}

export const errors = {
  badRequest: (message: string, fieldErrors?: FieldErrors) =>
    new ApiError(400, 'bad_request', message, fieldErrors),
  invalidCursor: (message = 'The cursor is invalid or does not belong to this list') =>
    new ApiError(400, 'invalid_cursor', message, {}, 'Invalid cursor'),
  unauthorized: (message: string) => new ApiError(401, 'invalid_token', message),
  forbidden: (message: string) => new ApiError(403, 'forbidden', message, {}, 'Forbidden'),
  insufficientScope: (scope: string) =>
    new ApiError(
      403,
      'insufficient_scope',
      `This request requires the ${scope} scope`,
      {},
      'Insufficient scope',
    ),
  notFound: (message: string) => new ApiError(404, 'not_found', message),
  /** The uniform storefront answer for an unknown store, an unknown key and another store's key. */
  storeNotFound: () => new ApiError(404, 'not_found', 'Store not found'),
  conflict: (message: string) => new ApiError(409, 'state_conflict', message),
  /** 409 with every reason in `errors.blocked_by`, so a client can show the merchant what to fix. */
  blocked: (what: string, reasons: string[]) =>
    new ApiError(
      409,
      'state_conflict',
      `${what}: ${reasons.join('; ')}`,
      { blocked_by: reasons },
      'Conflict',
    ),
  validation: (fieldErrors: FieldErrors, message = 'The request has invalid fields') =>
    new ApiError(422, 'validation_failed', message, fieldErrors, 'Validation failed'),
  /** One invalid field, the most common validation failure raised by services. */
  invalidField: (field: string, problem: string) =>
    new ApiError(
      422,
      'validation_failed',
      `${field} ${problem}`,
      { [field]: [problem] },
      'Validation failed',
    ),
};
