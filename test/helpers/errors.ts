import { expect } from 'vitest';
import type { ErrorBody } from '../../src/http/errors.ts';

/**
 * The error envelope an answer must carry: these fields, and the request id its `X-Request-Id`
 * header names (every error body repeats it). `expect(res.json()).toEqual(errorEnvelope(res, …))`.
 */
export function errorEnvelope(
  res: { headers: Record<string, unknown> },
  body: { error: unknown; error_code: ErrorBody['error_code'] | string; message: unknown; errors: unknown },
): Record<string, unknown> {
  const requestId = res.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') throw new Error('the answer has no X-Request-Id');
  return { ...body, request_id: requestId };
}

/**
 * The error `earlier` answered, as `res` must repeat it (a replay, or the same refusal for another
 * input): the same fields, under `res`'s own request id.
 * `expect(res.json()).toEqual(sameErrorAs(res, earlier))`.
 */
export function sameErrorAs(
  res: { headers: Record<string, unknown> },
  earlier: { json(): unknown },
): Record<string, unknown> {
  const { request_id: _earlierId, ...fields } = earlier.json() as Record<string, unknown> & {
    error: unknown;
    error_code: string;
    message: unknown;
    errors: unknown;
  };
  return errorEnvelope(res, fields);
}

/**
 * `res`'s error body without its request id, once that id is checked to be the answer's own: for
 * comparing the bodies of several answers that must say exactly the same thing.
 */
export function errorFields(res: {
  headers: Record<string, unknown>;
  json(): unknown;
}): Record<string, unknown> {
  const { request_id: requestId, ...fields } = res.json() as Record<string, unknown>;
  expect(requestId).toBe(res.headers['x-request-id']);
  return fields;
}
