import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { ApiError } from '../../http/errors.ts';

export const MULTIPART = 'multipart/form-data';

/**
 * A body schema keyed by media type (Fastify validates the body against the entry of the request's
 * Content-Type, and the OpenAPI document lists each entry as a request body content).
 */
export interface ContentTypeBodies {
  content: Record<string, { schema: unknown }>;
}

function acceptsMultipart(schema: FastifySchema | undefined): boolean {
  const body = schema?.body as Partial<ContentTypeBodies> | undefined;
  return Boolean(body?.content && MULTIPART in body.content);
}

/**
 * multipart/form-data for the routes that declare it, and only those.
 *
 * Contract routes are registered on the root instance (http/route.ts), so the multipart parser
 * cannot live in an encapsulated plugin of its own: @fastify/multipart is registered at the root,
 * where its parser only marks a request as multipart and reads nothing. This gate then answers
 * 415 to a multipart request on any route whose body schema does not list `multipart/form-data`,
 * exactly what those routes answered before; on a route that does, the body is left to the
 * handler, which streams the file part with `request.file()` (validation sees an empty form).
 */
export function registerMultipartUploads(app: FastifyInstance): void {
  app.register(multipart, {
    // Per-route limits (file size above all) are passed to request.file() by each handler.
    limits: { files: 1, fields: 10, parts: 20, fieldSize: 1024, headerPairs: 100 },
  });
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart() || request.is404) return;
    if (!acceptsMultipart(request.routeOptions.schema)) {
      throw new ApiError(415, 'unsupported_media_type', 'Send the request body as application/json');
    }
    request.body = {};
  });
}
