import { SCOPE_CATALOG } from './scopes.ts';

/** Where the hosted authorize page lives (outside /v3: it is a page, not an API route). */
export const AUTHORIZE_PATH = '/oauth/authorize';

/** The issuer identifier: clients compare it byte for byte with the metadata's `issuer`. */
export function issuerOf(publicUrl: string): string {
  return `${publicUrl}/v3/oauth`;
}

const CLIENT_AUTH_METHODS = ['client_secret_post', 'client_secret_basic', 'none'];

/** RFC 8414 authorization server metadata: only what this server really does. */
export function authorizationServerMetadata(publicUrl: string) {
  const issuer = issuerOf(publicUrl);
  return {
    issuer,
    authorization_endpoint: `${publicUrl}${AUTHORIZE_PATH}`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    introspection_endpoint: `${issuer}/introspect`,
    scopes_supported: Object.keys(SCOPE_CATALOG),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: false,
    service_documentation: `${publicUrl}/docs`,
  };
}
