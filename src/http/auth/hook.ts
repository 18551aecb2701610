import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../../config.ts';
import { isUuid } from '../../lib/ids.ts';
import { ApiError, errors } from '../errors.ts';
import type { RateLimitStore, RateWindow } from '../rate-limit.ts';
import { noteErrorAnswer } from '../request-log.ts';
import type { RouteContract } from '../route.ts';
import type { Credentials } from './credentials.ts';
import { hasScope, type RequestAuth } from './principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
  interface FastifyContextConfig {
    /** Health probes and the API docs are not rate limited. */
    rateLimit?: false;
    /** User-level routes (`/v3/me`, membership list): OAuth tokens are not narrowed to one business. */
    businessSelection?: false;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(request: FastifyRequest): string | undefined {
  const value = header(request, 'authorization');
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/**
 * Why no bearer token was found, in words that say how to send it: the usual mistakes are a key
 * without the `Bearer ` prefix, another scheme, and the key in an `X-Api-Key` header.
 */
function missingBearer(request: FastifyRequest, what: string, placeholder: string): ApiError {
  const sendIt = `send Authorization: Bearer ${placeholder}`;
  const authorization = header(request, 'authorization')?.trim();
  if (authorization) {
    const scheme = authorization.match(/^(\S+)\s+\S/)?.[1];
    if (scheme && !/^bearer$/i.test(scheme))
      return errors.unauthorized(`Unsupported authorization scheme ${scheme}: ${sendIt}`);
    if (/^(sk|rk)_/.test(authorization))
      return errors.unauthorized(`The Bearer prefix is missing: ${sendIt}`);
    return errors.unauthorized(`Malformed Authorization header: ${sendIt}`);
  }
  if (header(request, 'x-api-key') !== undefined)
    return errors.unauthorized(`X-Api-Key is not read: ${sendIt}`);
  return errors.unauthorized(`Missing ${what}: ${sendIt}`);
}

/**
 * The `b_uid` query parameter: a business unique_id, at most one (repeating it with different
 * values names no one business).
 */
function businessUid(request: FastifyRequest): string | undefined {
  const raw = (request.query as Record<string, unknown> | undefined)?.b_uid;
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (new Set(values).size > 1) throw errors.invalidField('b_uid', 'must be given once');
  return values[0];
}

function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, unknown>)[name] ?? '');
}

async function resolveBusiness(
  request: FastifyRequest,
  contract: RouteContract,
  credentials: Credentials,
  auth: RequestAuth,
): Promise<void> {
  const token = bearer(request);
  if (!token) throw missingBearer(request, 'API key', '<key>');
  const acceptsOAuth = contract.auth.includes('oauth');
  if (/^(sk|rk)_/.test(token) || !acceptsOAuth) {
    if (!contract.auth.includes('apiKey')) throw errors.unauthorized('Invalid access token');
    auth.business = await credentials.apiKey(token);
    // A key belongs to one business: naming another is refused rather than ignored, so a client
    // that believes it acts on business B never silently changes business A. The answer is the
    // same whether or not B exists.
    const bUid = businessUid(request);
    if (bUid !== undefined && bUid !== auth.business.businessUniqueId) {
      throw new ApiError(
        403,
        'business_access_denied',
        'This API key does not belong to the business named by b_uid',
        { b_uid: ['is not the business of this API key'] },
        'Business access denied',
      );
    }
  } else {
    const oauthToken = await credentials.oauthToken(token);
    auth.oauthToken = oauthToken;
    if (request.routeOptions.config.businessSelection !== false) {
      auth.business = await credentials.oauthBusiness(oauthToken, businessUid(request));
    } else if ((await credentials.connectedInstallations(oauthToken)).length === 0) {
      // A token whose every installation is gone keeps no identity, even on user-level routes.
      throw new ApiError(403, 'business_access_denied', 'This token has no active connected business');
    }
  }
  // Where the contract names no scope, Nexus may require one of its own (least privilege for
  // restricted keys and OAuth tokens; secret keys hold every scope).
  const scope = contract.scope ?? contract.nexusScope;
  if (scope && auth.business && !hasScope(auth.business, scope)) {
    throw errors.insufficientScope(scope);
  }
}

/** Resolves every credential the route declares; each declared credential is required except guest tokens. */
async function resolveAuth(
  request: FastifyRequest,
  contract: RouteContract,
  credentials: Credentials,
): Promise<void> {
  const auth = request.auth;
  const kinds = new Set(contract.auth);
  const origin = header(request, 'origin');

  if (kinds.has('storefrontKey')) {
    auth.storefront = await credentials.storefront(
      header(request, 'x-scalev-storefront-api-key'),
      param(request, 'store_id'),
    );
    // The CORS grant itself is cors.ts's, on every answer of a browser path.
    if (origin && !(await credentials.isOriginAllowed(auth.storefront.storeId, origin))) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        `Origin ${origin} is not allowed for this store`,
        {},
        'Origin not allowed',
      );
    }
  }
  if (kinds.has('pageKey')) {
    auth.page = await credentials.page(
      header(request, 'x-scalev-page-api-key'),
      param(request, 'page_unique_id'),
    );
  }
  if (kinds.has('apiKey') || kinds.has('oauth')) {
    await resolveBusiness(request, contract, credentials, auth);
  }
  if (kinds.has('oauthApp')) {
    const token = bearer(request);
    if (!token) throw missingBearer(request, 'access token', '<access token>');
    auth.oauthToken = await credentials.oauthToken(token);
    // Installed-app runtime routes (OAuth Billing) act on one installation, chosen as on business
    // routes (`b_uid` among several), but need no scope: the contract names none.
    if (request.routeOptions.config.businessSelection !== false)
      auth.business = await credentials.oauthBusiness(auth.oauthToken, businessUid(request));
  }
  if (kinds.has('customer')) {
    const token = bearer(request);
    if (!token) throw missingBearer(request, 'customer token', '<access token>');
    auth.customer = await credentials.customer(token, param(request, 'store_id'));
  }
  if (kinds.has('guestToken')) {
    const guest = header(request, 'x-scalev-guest-token');
    if (guest !== undefined && guest !== '') {
      if (!isUuid(guest)) throw errors.badRequest('X-Scalev-Guest-Token must be a UUID');
      auth.guestToken = guest.toLowerCase();
    }
  }
}

export interface AuthHookOptions {
  credentials: Credentials;
  rateLimit: RateLimitStore;
  limits: RateLimitConfig;
}

/**
 * The one hook that authenticates every request and charges its rate-limit bucket: the API key or
 * OAuth installation for machine calls, the client IP for everything else (browser routes, failed
 * authentication, unknown routes). A 429 wins over an authentication error so guessing keys is
 * throttled like any other traffic.
 */
export function registerAuthHook(app: FastifyInstance, options: AuthHookOptions): void {
  const keyWindows: RateWindow[] = [
    { name: '10s', limit: options.limits.keyPer10s, seconds: 10 },
    { name: '1h', limit: options.limits.keyPerHour, seconds: 3600 },
  ];
  const ipWindows: RateWindow[] = [
    { name: '10s', limit: options.limits.ipPer10s, seconds: 10 },
    { name: '1h', limit: options.limits.ipPerHour, seconds: 3600 },
  ];

  app.decorateRequest('auth', null as unknown as RequestAuth);

  app.addHook('onRequest', async (request, reply) => {
    request.auth = {};
    const config = request.routeOptions.config;
    const contract = config.contract;
    let authError: unknown;
    if (contract) {
      try {
        await resolveAuth(request, contract, options.credentials);
      } catch (error) {
        authError = error;
      }
    }
    if (config.rateLimit !== false) {
      const business = authError ? undefined : request.auth.business;
      const bucket = business ? business.rateKey : `ip:${request.ip}`;
      let decision: Awaited<ReturnType<RateLimitStore['hit']>> | undefined;
      try {
        decision = await options.rateLimit.hit(bucket, business ? keyWindows : ipWindows);
      } catch (error) {
        // A rate-limit store outage must not take the API down: fail open and say so in the log.
        request.log.warn({ err: error }, 'rate limit store unavailable; request not counted');
      }
      if (decision) {
        reply.header('x-ratelimit-limit', decision.limit);
        reply.header('x-ratelimit-remaining', decision.remaining);
        reply.header('x-ratelimit-reset', decision.resetSeconds);
        if (!decision.allowed) {
          reply.header('retry-after', decision.resetSeconds);
          noteErrorAnswer(request, { code: 'rate_limited', fieldErrors: {} });
          return reply
            .code(429)
            .type('text/plain; charset=utf-8')
            .send(`Rate limit exceeded. Retry in ${decision.resetSeconds} seconds.`);
        }
      }
    }
    if (authError) throw authError;
  });
}
