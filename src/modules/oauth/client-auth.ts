import type { Db } from '../../db/database.ts';
import { ApiError } from '../../http/errors.ts';
import { safeEqual } from '../../lib/crypto.ts';
import * as q from './queries.ts';
import { digest } from './tokens.ts';

export const oauthError = (
  code:
    | 'invalid_request'
    | 'invalid_grant'
    | 'unauthorized_client'
    | 'unsupported_grant_type'
    | 'invalid_scope'
    | 'invalid_target',
  message: string,
) => new ApiError(400, code, message, {}, code);

export const invalidClient = (message = 'Client authentication failed') =>
  new ApiError(401, 'invalid_client', message, {}, 'invalid_client');

export interface ClientCredentials {
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  clientAssertion?: string | undefined;
  /** The `Authorization` header, when the client uses HTTP Basic (RFC 6749 §2.3.1). */
  authorization?: string | undefined;
}

/** `Basic base64(urlencode(id):urlencode(secret))`, or undefined when the header is not Basic. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('Malformed Basic credentials');
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    throw invalidClient('Malformed Basic credentials');
  }
}

/**
 * Authenticates the client of a token, revoke, introspect or installation call: `client_secret_post`,
 * HTTP Basic, or none for public clients (which then prove possession with PKCE). A confidential
 * client may use either secret method; using two methods at once is refused (RFC 6749 §2.3).
 * Unknown clients and wrong secrets look the same. `requireSecret` is for the app-backend calls
 * (installation status, launch exchange), which the contract reserves for confidential clients.
 */
export async function authenticateClient(
  db: Db,
  credentials: ClientCredentials,
  options: { requireSecret?: boolean } = {},
): Promise<q.ApplicationRecord> {
  if (credentials.clientAssertion !== undefined)
    throw invalidClient('private_key_jwt client assertions are not supported by this server');
  const basic = basicCredentials(credentials.authorization);
  if (basic && credentials.clientSecret !== undefined)
    throw oauthError(
      'invalid_request',
      'Send the client secret either in the body or by HTTP Basic, not both',
    );
  if (basic && credentials.clientId !== undefined && credentials.clientId !== basic.id)
    throw oauthError('invalid_request', 'client_id does not match the HTTP Basic credentials');
  const clientId = basic?.id ?? credentials.clientId;
  const secret = basic?.secret ?? credentials.clientSecret;
  if (!clientId) throw invalidClient('client_id is required');
  const app = await q.findApplicationByClientId(db, clientId);
  if (!app?.is_active) throw invalidClient();
  if (app.token_endpoint_auth_method === 'none') {
    if (secret !== undefined || options.requireSecret) throw invalidClient();
    return app;
  }
  if (secret === undefined || !app.client_secret_hash) throw invalidClient();
  if (!safeEqual(digest(secret), app.client_secret_hash)) throw invalidClient();
  return app;
}
