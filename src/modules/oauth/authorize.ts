import type { Db } from '../../db/database.ts';
import { approvableBillingTags } from '../oauth-billing/billing-tags.ts';
import { syncInstallationWebhooks } from './app-webhooks.ts';
import * as q from './queries.ts';
import { parseScope } from './scopes.ts';
import * as t from './token-queries.ts';
import { digest, mint, secondsFromNow, TTL } from './tokens.ts';

/** The query of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 8707). */
export interface AuthorizationParams {
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  scope?: string | undefined;
  state?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  resource?: string | undefined;
}

export interface AuthorizationRequest {
  app: q.ApplicationRecord;
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  scopes: string[];
  resource: string | null;
}

/**
 * The request cannot be trusted to name where to send the user: shown as a page, never redirected
 * (RFC 6749 §4.1.2.1), so the server is no open redirector.
 */
export class UnsafeRequest extends Error {}

/** A problem reported to the client at its registered redirect URI. */
export class RedirectableError extends Error {
  constructor(
    readonly code:
      | 'invalid_request'
      | 'unsupported_response_type'
      | 'invalid_scope'
      | 'access_denied'
      | 'invalid_target',
    message: string,
    readonly request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>,
  ) {
    super(message);
  }
}

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE = 1024;

/**
 * Checks an authorization request in the RFC's order: first who the client is and where it may be
 * sent (exact match against its registered redirect URIs), then everything else, whose failures go
 * back to the client. PKCE is mandatory and S256 only.
 */
export async function checkAuthorizationRequest(
  db: Db,
  params: AuthorizationParams,
): Promise<AuthorizationRequest> {
  const app = params.client_id ? await q.findApplicationByClientId(db, params.client_id) : undefined;
  if (!app?.is_active) throw new UnsafeRequest('Unknown or disabled application (client_id).');
  if (!params.redirect_uri || !app.redirect_uris.includes(params.redirect_uri))
    throw new UnsafeRequest('The redirect_uri is not one this application registered.');
  const state = params.state;
  const back = {
    redirectUri: params.redirect_uri,
    state: state && state.length <= MAX_STATE ? state : undefined,
  };
  const fail = (code: RedirectableError['code'], message: string) =>
    new RedirectableError(code, message, back);
  if (state !== undefined && state.length > MAX_STATE) throw fail('invalid_request', 'state is too long');
  if (params.response_type !== 'code') throw fail('unsupported_response_type', 'response_type must be code');
  if (!params.code_challenge) throw fail('invalid_request', 'code_challenge is required (PKCE)');
  if (params.code_challenge_method !== 'S256')
    throw fail('invalid_request', 'code_challenge_method must be S256');
  if (!CHALLENGE.test(params.code_challenge))
    throw fail('invalid_request', 'code_challenge must be the base64url SHA-256 of the verifier');
  const { scopes, unknown } = parseScope(params.scope);
  if (unknown.length) throw fail('invalid_scope', `Unknown scopes: ${unknown.join(' ')}`);
  const beyond = scopes.filter((scope) => !app.scopes.includes(scope));
  if (beyond.length)
    throw fail('invalid_scope', `Scopes this application may not ask for: ${beyond.join(' ')}`);
  let resource: string | null = null;
  if (params.resource !== undefined) {
    if (!URL.canParse(params.resource) || params.resource.includes('#'))
      throw fail('invalid_target', 'resource must be an absolute URI without a fragment');
    resource = params.resource;
  }
  return {
    app,
    redirectUri: params.redirect_uri,
    state,
    codeChallenge: params.code_challenge,
    scopes: scopes.length ? scopes.sort() : [...app.scopes],
    resource,
  };
}

export function connectableBusinesses(db: Db, userId: number) {
  return q.listConnectableBusinesses(db, userId);
}

/**
 * The merchant approved: each chosen business (one they are a verified member of) gets an
 * installation recording the grant (and, if the app has a webhook URL, a subscription to the
 * granted events), and the client gets a one-time code for exactly those installations. The app's
 * billing tags are approved as they stand now (price included).
 */
export async function approve(
  db: Db,
  request: AuthorizationRequest,
  userId: number,
  businessIds: number[],
): Promise<string> {
  const allowed = new Set((await q.listConnectableBusinesses(db, userId)).map((b) => b.id));
  const chosen = [...new Set(businessIds)].filter((id) => allowed.has(id));
  if (chosen.length === 0 || chosen.length !== new Set(businessIds).size)
    throw new Error('approve() needs businesses the user may connect');
  const code = mint.code();
  await db.transaction().execute(async (trx) => {
    const billingTags = await approvableBillingTags(trx, request.app.id);
    const installationIds: number[] = [];
    for (const businessId of chosen.sort((a, b) => a - b)) {
      const installation = await q.upsertInstallation(trx, {
        application_id: request.app.id,
        business_id: businessId,
        authorized_by_user_id: userId,
        scopes: request.scopes,
        granted_webhook_events: request.app.webhook_events,
        approved_billing_tags: billingTags,
      });
      installationIds.push(installation.id);
    }
    await syncInstallationWebhooks(trx, { installationIds });
    await t.insertCode(trx, {
      application_id: request.app.id,
      user_id: userId,
      code_hash: digest(code),
      redirect_uri: request.redirectUri,
      code_challenge: request.codeChallenge,
      scopes: request.scopes,
      installation_ids: installationIds,
      resource: request.resource,
      expires_at: secondsFromNow(TTL.codeSeconds),
    });
  });
  return code;
}
