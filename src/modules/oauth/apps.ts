import type { Db } from '../../db/database.ts';
import { GRANTABLE_SCOPES } from '../../http/auth/scopes.ts';
import { ApiError, errors } from '../../http/errors.ts';
import { WEBHOOK_EVENTS } from '../webhooks/events.ts';
import * as q from './queries.ts';
import { digest, mint } from './tokens.ts';

/**
 * A redirect URI the server will send codes to: absolute, no fragment (RFC 6749 §3.1.2), and https
 * unless it is a loopback address (native apps, RFC 8252 §7.3). Compared later byte for byte.
 */
export function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.hash || value.includes('#')) return 'must not contain a fragment';
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    return 'must use https (http only for loopback addresses)';
  return undefined;
}

export interface NewDeveloperApp {
  ownerBusinessId: number;
  name: string;
  redirectUris: string[];
  scopes: string[];
  webhookEvents?: string[];
  description?: string;
  homepageUrl?: string;
  logoUrl?: string;
  manageUrl?: string;
  /** A public client (no secret, PKCE only), e.g. a single-page or native app. */
  isPublic?: boolean;
}

/** `nexus oauth app create`: the secret is returned once and stored only as its digest. */
export async function createDeveloperApp(db: Db, input: NewDeveloperApp) {
  const problems = input.redirectUris.flatMap((uri) => {
    const problem = redirectUriProblem(uri);
    return problem ? [`redirect URI ${uri} ${problem}`] : [];
  });
  if (input.redirectUris.length === 0) problems.push('at least one redirect URI is required');
  const unknownScopes = input.scopes.filter((scope) => !GRANTABLE_SCOPES.has(scope));
  if (unknownScopes.length) problems.push(`unknown scopes ${unknownScopes.join(', ')}`);
  if (input.scopes.length === 0) problems.push('at least one scope is required');
  const known = new Set<string>(WEBHOOK_EVENTS);
  const unknownEvents = (input.webhookEvents ?? []).filter((event) => !known.has(event));
  if (unknownEvents.length) problems.push(`unknown webhook events ${unknownEvents.join(', ')}`);
  if (problems.length) throw errors.badRequest(problems.join('; '));
  const secret = input.isPublic ? null : mint.clientSecret();
  const app = await q.insertApplication(db, {
    registration: 'developer',
    owner_business_id: input.ownerBusinessId,
    name: input.name,
    description: input.description ?? null,
    homepage_url: input.homepageUrl ?? null,
    logo_url: input.logoUrl ?? null,
    manage_url: input.manageUrl ?? null,
    client_id: mint.clientId(),
    client_secret_hash: secret ? digest(secret) : null,
    redirect_uris: input.redirectUris,
    scopes: [...new Set(input.scopes)].sort(),
    webhook_events: input.webhookEvents ?? [],
    token_endpoint_auth_method: secret ? 'client_secret_post' : 'none',
    grant_types: ['authorization_code', 'refresh_token'],
  });
  return { ...app, client_secret: secret };
}

export function listDeveloperApps(db: Db, ownerBusinessId: number) {
  return q.listDeveloperApplications(db, ownerBusinessId);
}

/** A new secret replaces the old one at once; tokens already issued keep working. */
export async function rotateClientSecret(db: Db, ownerBusinessId: number, clientId: string) {
  const secret = mint.clientSecret();
  const app = await q.findApplicationByClientId(db, clientId);
  if (!app || app.token_endpoint_auth_method === 'none')
    throw errors.notFound('No confidential OAuth application with that client_id in this business');
  const updated = await q.setClientSecretHash(db, ownerBusinessId, clientId, digest(secret));
  if (!updated)
    throw errors.notFound('No confidential OAuth application with that client_id in this business');
  return { client_id: clientId, client_secret: secret };
}

export interface RegistrationRequest {
  client_name?: string | undefined;
  client_uri?: string | undefined;
  logo_uri?: string | undefined;
  redirect_uris: string[];
  grant_types?: string[] | undefined;
  response_types?: string[] | undefined;
  token_endpoint_auth_method?: string | undefined;
  jwks_uri?: string | undefined;
  token_endpoint_auth_signing_alg?: string | undefined;
}

const registrationError = (code: 'invalid_redirect_uri' | 'invalid_client_metadata', message: string) =>
  new ApiError(400, code, message, {}, code);

/**
 * Dynamic Client Registration (RFC 7591) for platform clients. A registered client may ask for any
 * machine scope; what it gets is what the merchant approves on the authorize page.
 */
export async function registerClient(db: Db, body: RegistrationRequest) {
  for (const uri of body.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw registrationError('invalid_redirect_uri', `redirect_uri ${uri} ${problem}`);
  }
  const method = body.token_endpoint_auth_method ?? 'none';
  if (method === 'private_key_jwt')
    throw registrationError('invalid_client_metadata', 'private_key_jwt is not supported by this server');
  if (method !== 'none' && method !== 'client_secret_post' && method !== 'client_secret_basic')
    throw registrationError(
      'invalid_client_metadata',
      `token_endpoint_auth_method ${method} is not supported`,
    );
  const grantTypes = body.grant_types ?? ['authorization_code'];
  if (
    !grantTypes.includes('authorization_code') ||
    grantTypes.some((g) => !['authorization_code', 'refresh_token'].includes(g))
  )
    throw registrationError(
      'invalid_client_metadata',
      'grant_types may hold authorization_code and refresh_token',
    );
  const responseTypes = body.response_types ?? ['code'];
  if (responseTypes.some((type) => type !== 'code'))
    throw registrationError('invalid_client_metadata', 'response_types may only hold code');
  const secret = method === 'none' ? null : mint.clientSecret();
  const app = await q.insertApplication(db, {
    registration: 'dynamic',
    owner_business_id: null,
    name: body.client_name?.trim() || 'Unnamed client',
    homepage_url: body.client_uri ?? null,
    logo_url: body.logo_uri ?? null,
    client_id: mint.clientId(),
    client_secret_hash: secret ? digest(secret) : null,
    redirect_uris: body.redirect_uris,
    scopes: [...GRANTABLE_SCOPES].sort(),
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
  });
  return {
    client_id: app.client_id,
    client_id_issued_at: Math.floor(app.created_at.getTime() / 1000),
    ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
    client_name: app.name,
    ...(app.homepage_url ? { client_uri: app.homepage_url } : {}),
    ...(app.logo_url ? { logo_uri: app.logo_url } : {}),
    redirect_uris: app.redirect_uris,
    grant_types: grantTypes,
    response_types: responseTypes,
    token_endpoint_auth_method: method,
  };
}

/** The application card clients show before sending the merchant to authorize. */
function card(app: q.ApplicationRecord) {
  return {
    client_id: app.client_id,
    name: app.name,
    description: app.description,
    logo_url: app.logo_url,
    homepage_url: app.homepage_url,
    redirect_uri: app.redirect_uris[0] ?? null,
    available_scopes: app.scopes,
    // Events go out only to a URL: an app without one receives nothing, whatever it lists.
    webhook_status:
      app.webhook_url !== null && app.webhook_events.length > 0 ? ('active' as const) : ('inactive' as const),
    webhook_events: app.webhook_events,
  };
}

/** 404 for an unknown or disabled app and for a redirect URI it did not register (exact match). */
export async function publicApplication(db: Db, clientId: string, redirectUri: string) {
  const app = await q.findApplicationByClientId(db, clientId);
  if (!app?.is_active || !app.redirect_uris.includes(redirectUri))
    throw errors.notFound('OAuth application not found');
  return { ...card(app), redirect_uri: redirectUri };
}

export async function currentApplication(db: Db, applicationId: number) {
  const app = await q.findApplicationById(db, applicationId);
  if (!app) throw errors.notFound('OAuth application not found');
  return card(app);
}
