import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Credentials } from './auth/credentials.ts';

/**
 * CORS exists only for browser routes: storefront (`/v3/stores/{store_id}/public/*`) and the
 * signed-in customer's (`/v3/stores/{store_id}/customers/me*`). A grant names the one registered
 * origin (never `*`), so business routes and unregistered origins get no grant at all and the
 * browser refuses to read the answer. HTML Mode page routes get theirs when page origins are
 * checked (docs/decisions.md, "Credentials").
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

/**
 * The store a browser path belongs to: `/v3/stores/<store>/public…` and `/v3/stores/<store>/customers/me…`.
 * Store public ids are letters, digits and `_`; anything else names no store and is not looked up.
 */
const BROWSER_PATH = /^\/v3\/stores\/([A-Za-z0-9_-]{1,64})\/(?:public|customers\/me)(?:\/|$)/;

function browserStoreOf(url: string): string | undefined {
  return BROWSER_PATH.exec(url.split('?')[0] ?? url)?.[1];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The request's Origin when it is one the path's store allows, else undefined. */
async function allowedOrigin(request: FastifyRequest, credentials: Credentials): Promise<string | undefined> {
  const origin = header(request, 'origin');
  const storeUniqueId = browserStoreOf(request.url);
  if (!origin || !storeUniqueId) return undefined;
  const store = await credentials.store(storeUniqueId);
  return store && (await credentials.isOriginAllowed(store.id, origin)) ? origin : undefined;
}

/**
 * Every answer on a browser path carries the grant when the path's store allows the request's
 * origin, whatever the answer: a 401, 404, 422, 429 or 500 the browser cannot read shows up as a
 * "CORS error" instead of the error. The rule is the preflight's (the store and the origin), not
 * the credential's: a wrong key on a store that allows the origin is a readable 404. A storefront
 * call from an origin the store does not allow is refused by the auth hook (403
 * `origin_not_allowed`) and, like any answer to such an origin, carries no grant.
 */
export function registerBrowserCors(app: FastifyInstance, credentials: Credentials): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || browserStoreOf(request.url) === undefined) return;
    reply.header('vary', 'Origin');
    const origin = await allowedOrigin(request, credentials);
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', EXPOSE_HEADERS);
    }
  });
}

/** Preflight for the browser paths: answered 204, with the grant when the store allows the origin. */
export function registerCors(app: FastifyInstance, credentials: Credentials): void {
  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'Origin');
    const origin = await allowedOrigin(request, credentials);
    if (origin) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-methods', ALLOW_METHODS);
      reply.header('access-control-allow-headers', ALLOW_HEADERS);
      reply.header('access-control-expose-headers', EXPOSE_HEADERS);
      reply.header('access-control-max-age', '600');
    }
    return reply.code(204).send();
  };
  const options = { schema: { hide: true } };
  for (const prefix of ['/v3/stores/:store_id/public', '/v3/stores/:store_id/customers/me']) {
    app.options(prefix, options, preflight);
    app.options(`${prefix}/*`, options, preflight);
  }
}
