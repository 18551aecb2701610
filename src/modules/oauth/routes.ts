import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../http/errors.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { ErrorEnvelope } from '../../http/schemas.ts';
import * as apps from './apps.ts';
import { authenticateClient, type ClientCredentials } from './client-auth.ts';
import { grant } from './grants.ts';
import * as installations from './installations.ts';
import { authorizationServerMetadata } from './metadata.ts';
import * as schemas from './schemas.ts';
import { SCOPE_CATALOG } from './scopes.ts';

type Body = { client_id?: string; client_secret?: string; client_assertion?: string };

function clientOf(request: FastifyRequest, body: Body): ClientCredentials {
  return {
    clientId: body.client_id,
    clientSecret: body.client_secret,
    clientAssertion: body.client_assertion,
    authorization: request.headers.authorization,
  };
}

/** Token responses and anything holding a credential must never be cached (RFC 6749 §5.1). */
function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

/** A client that tried HTTP Basic is told how to retry when it failed (RFC 6749 §5.2). */
async function withClientChallenge<T>(request: FastifyRequest, reply: FastifyReply, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.code === 'invalid_client' &&
      /^Basic\s/i.test(request.headers.authorization ?? '')
    )
      reply.header('www-authenticate', 'Basic realm="nexus-oauth"');
    throw error;
  }
}

const isForm = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getOAuthAuthorizationServerMetadata',
    method: 'GET',
    path: '/v3/oauth/.well-known/oauth-authorization-server',
    auth: ['public'],
    description: 'Also served at the host root, where RFC 8414 clients look for it.',
    schema: { response: { 200: schemas.AuthorizationServerMetadata } },
    handler: async (request) => authorizationServerMetadata(request.server.deps.config.publicUrl),
  }),
  defineRoute({
    operationId: 'getOAuthApplicationPublic',
    method: 'GET',
    path: '/v3/oauth/application',
    auth: ['public'],
    schema: {
      querystring: schemas.ApplicationQuery,
      response: { 200: schemas.OAuthApplication, 404: ErrorEnvelope },
    },
    handler: async (request) =>
      apps.publicApplication(request.server.deps.db, request.query.client_id, request.query.redirect_uri),
  }),
  defineRoute({
    operationId: 'listOAuthScopes',
    method: 'GET',
    path: '/v3/oauth/scopes',
    auth: ['public'],
    schema: { response: { 200: schemas.ScopeCatalog } },
    handler: async () => SCOPE_CATALOG,
  }),
  defineRoute({
    operationId: 'getCurrentOAuthApplication',
    method: 'GET',
    path: '/v3/oauth/applications/me',
    auth: ['oauth'],
    revealsOnlyCaller: true,
    businessSelection: false,
    schema: { response: { 200: schemas.OAuthApplication } },
    handler: async (request) =>
      apps.currentApplication(request.server.deps.db, request.auth.oauthToken?.applicationId ?? -1),
  }),
  defineRoute({
    operationId: 'registerOAuthClient',
    method: 'POST',
    path: '/v3/oauth/register',
    auth: ['public'],
    description: 'RFC 7591; answers 201. private_key_jwt registrations are refused (not supported).',
    schema: {
      body: schemas.RegistrationRequest,
      response: { 201: schemas.RegisteredClient, 400: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      noStore(reply);
      reply.code(201);
      return apps.registerClient(request.server.deps.db, request.body);
    },
  }),
  defineRoute({
    operationId: 'exchangeOAuthToken',
    method: 'POST',
    path: '/v3/oauth/token',
    auth: ['public'],
    formBody: true,
    description:
      'JSON (the contract) or application/x-www-form-urlencoded (RFC 6749). PKCE (S256) is required.',
    schema: {
      body: schemas.TokenRequest,
      response: { 200: schemas.TokenResponse, 400: ErrorEnvelope, 401: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      noStore(reply);
      const { db } = request.server.deps;
      return withClientChallenge(request, reply, async () => {
        const app = await authenticateClient(db, clientOf(request, request.body));
        return grant(db, app, request.body);
      });
    },
  }),
  defineRoute({
    operationId: 'revokeOAuthToken',
    method: 'POST',
    path: '/v3/oauth/revoke',
    auth: ['public'],
    formBody: true,
    description: 'Answers 204 to JSON (the contract) and 200 to form-encoded requests (RFC 7009).',
    schema: {
      body: schemas.TokenReference,
      response: { 204: Type.Null(), 400: ErrorEnvelope, 401: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      const { db } = request.server.deps;
      await withClientChallenge(request, reply, async () => {
        const app = await authenticateClient(db, clientOf(request, request.body));
        if (!request.body.token)
          throw new ApiError(400, 'invalid_request', 'token is required', {}, 'invalid_request');
        const hint = installations.tokenKindOf(request.body.token_type ?? request.body.token_type_hint);
        await installations.revoke(db, app.id, request.body.token, hint);
      });
      // RFC 7009 §2.2 clients (form-encoded) expect 200; the contract's JSON callers get 204.
      if (isForm(request)) return (reply as FastifyReply).code(200).send() as never;
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'introspectOAuthToken',
    method: 'POST',
    path: '/v3/oauth/introspect',
    auth: ['public'],
    formBody: true,
    schema: {
      body: schemas.TokenReference,
      response: { 200: schemas.Introspection, 400: ErrorEnvelope, 401: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      noStore(reply);
      const { db } = request.server.deps;
      return withClientChallenge(request, reply, async () => {
        const app = await authenticateClient(db, clientOf(request, request.body));
        if (!request.body.token)
          throw new ApiError(400, 'invalid_request', 'token is required', {}, 'invalid_request');
        const hint = installations.tokenKindOf(request.body.token_type ?? request.body.token_type_hint);
        return installations.introspect(db, app, request.body.token, hint);
      });
    },
  }),
  defineRoute({
    operationId: 'getOAuthInstallationStatus',
    method: 'POST',
    path: '/v3/oauth/installation/status',
    auth: ['public'],
    schema: {
      body: schemas.InstallationStatusRequest,
      response: { 200: schemas.InstallationSnapshot, 400: ErrorEnvelope, 401: ErrorEnvelope },
    },
    handler: async (request) => {
      const { db } = request.server.deps;
      const app = await authenticateClient(db, clientOf(request, request.body), { requireSecret: true });
      return installations.installationStatus(db, app, request.body.token, request.body.token_type);
    },
  }),
  defineRoute({
    operationId: 'exchangeOAuthInstallationLaunchToken',
    method: 'POST',
    path: '/v3/oauth/installation/launch-token/exchange',
    auth: ['public'],
    schema: {
      body: schemas.LaunchTokenExchangeRequest,
      response: { 200: schemas.InstallationSnapshot, 400: ErrorEnvelope, 401: ErrorEnvelope },
    },
    handler: async (request, reply) => {
      noStore(reply);
      const { db } = request.server.deps;
      const app = await authenticateClient(db, clientOf(request, request.body), { requireSecret: true });
      return installations.exchangeLaunchToken(db, app, request.body.launch_token);
    },
  }),
];

/**
 * RFC 8414 §3: a client holding the issuer `https://host/v3/oauth` asks for
 * `https://host/.well-known/oauth-authorization-server/v3/oauth`; some ask the bare host-root path.
 * Both answer the contract's document.
 */
export function registerDiscoveryAliases(app: FastifyInstance): void {
  const options = { schema: { hide: true } };
  const answer = async (request: FastifyRequest) =>
    authorizationServerMetadata(request.server.deps.config.publicUrl);
  app.get('/.well-known/oauth-authorization-server', options, answer);
  app.get('/.well-known/oauth-authorization-server/v3/oauth', options, answer);
}
