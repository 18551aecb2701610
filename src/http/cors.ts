import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Credentials } from './auth/credentials.ts';

/**
 * CORS exists only for browser routes: storefront (`/v3/stores/{store_id}/public/*`) and HTML Mode
 * page routes. A grant names the one registered origin (never `*`), so business routes and
 * unregistered origins get no grant at all and the browser refuses to read the answer.
 */
const ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-Scalev-Storefront-Api-Key',
  'X-Scalev-Page-Api-Key',
  'X-Scalev-Guest-Token',
  'X-Request-Id',
  'Idempotency-Key',
].join(', ');

const EXPOSE_HEADERS = [
  'X-Scalev-Guest-Token',
  'X-Request-Id',
  'X-Ratelimit-Limit',
  'X-Ratelimit-Remaining',
  'X-Ratelimit-Reset',
  'Retry-After',
].join(', ');

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';

export function applyCorsGrant(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', EXPOSE_HEADERS);
  reply.header('vary', 'Origin');
}

async function storeForPreflight(
  request: FastifyRequest,
  credentials: Credentials,
): Promise<number | undefined> {
  const params = request.params as { store_id?: string };
  if (!params.store_id) return undefined;
  return (await credentials.store(params.store_id))?.id;
}

export function registerCors(app: FastifyInstance, credentials: Credentials): void {
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    const storeId = await storeForPreflight(request, credentials);
    if (origin && storeId !== undefined && (await credentials.isOriginAllowed(storeId, origin))) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-methods', ALLOW_METHODS);
      reply.header('access-control-allow-headers', ALLOW_HEADERS);
      reply.header('access-control-expose-headers', EXPOSE_HEADERS);
      reply.header('access-control-max-age', '600');
    }
    return reply.code(204).send();
  };
  app.options('/v3/stores/:store_id/public/*', { schema: { hide: true } }, preflight);
  app.options('/v3/stores/:store_id/public', { schema: { hide: true } }, preflight);
}
