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

function collect(value: unknown, path: string, out: FieldErrors, depth = 0): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out[path || 'body'] = [PROBLEM];
    return;
  }
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
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
