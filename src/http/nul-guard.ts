import type { FastifyInstance } from 'fastify';
import { errors, type FieldErrors } from './errors.ts';

/**
 * PostgreSQL cannot store U+0000 in text (it fails the statement), and no id, name or message a
 * client sends has a reason to hold one. So a NUL anywhere in the path, the query or a JSON body is
 * one rule in one place: 422 naming the field, before authentication looks up a store by a path
 * parameter and before any handler sends the value to the database.
 */
const PROBLEM = 'must not contain the NUL character (U+0000)';
const MAX_DEPTH = 32;

/**
 * Only what a parser built from client input is walked: arrays and plain objects (the query
 * parser's objects have a prototype-less prototype of their own). On the raw-stream routes (signed
 * uploads) `request.body` is the request stream itself, whose object graph (sockets, the server,
 * every connection) is no client input and far too large to walk: doing so froze the process on a
 * 1-byte PUT.
 */
function isParsedJson(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

function collect(value: unknown, path: string, out: FieldErrors, depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[path || 'body'] = [PROBLEM];
    return;
  }
  if (depth > MAX_DEPTH || !isParsedJson(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const name = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) out[name] = [PROBLEM];
    else collect(child, name, out, depth + 1);
  }
}

function rejectNul(...parts: unknown[]): void {
  const fields: FieldErrors = {};
  for (const part of parts) collect(part, '', fields);
  if (Object.keys(fields).length > 0) throw errors.validation(fields);
}

export function registerNulGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    rejectNul(request.params, request.query);
  });
  app.addHook('preValidation', async (request) => {
    rejectNul(request.body);
  });
}
