import type { FastifyInstance } from 'fastify';

/**
 * `Content-Type: application/json` with nothing after it (Content-Length 0, or no body at all) is a
 * request without a body, not malformed JSON: HTTP clients set the header on every call, DELETE
 * and bodiless POST actions included. The route then sees no body: optional bodies become `{}`
 * (http/route.ts), required ones fail validation with 422. Anything else is parsed by Fastify's
 * own JSON parser (prototype poisoning refused), so malformed JSON stays 400 `invalid_json`.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    parseJson(request, String(body), done);
  });
}
