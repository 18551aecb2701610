import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

const Str = (description?: string) => Type.Optional(Type.String(description ? { description } : {}));
const Strings = Type.Array(Type.String());

export const AuthorizationServerMetadata = Type.Object(
  {
    issuer: Type.String(),
    authorization_endpoint: Type.String(),
    token_endpoint: Type.String(),
    registration_endpoint: Type.String(),
    revocation_endpoint: Type.String(),
    introspection_endpoint: Type.String(),
    scopes_supported: Strings,
    response_types_supported: Strings,
    response_modes_supported: Strings,
    grant_types_supported: Strings,
    token_endpoint_auth_methods_supported: Strings,
    revocation_endpoint_auth_methods_supported: Strings,
    introspection_endpoint_auth_methods_supported: Strings,
    code_challenge_methods_supported: Strings,
    authorization_response_iss_parameter_supported: Type.Boolean(),
    client_id_metadata_document_supported: Type.Boolean(),
    service_documentation: Type.String(),
  },
  { title: 'OAuthAuthorizationServerMetadata' },
);

export const ApplicationQuery = Type.Object({
  client_id: Type.String({ minLength: 1, maxLength: 200, description: 'OAuth client ID.' }),
  redirect_uri: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: 'Redirect URI that must exactly match the application configuration.',
  }),
  resource: Type.Optional(Type.String({ maxLength: 2048, description: 'Optional resource audience.' })),
});

export const OAuthApplication = Type.Object(
  {
    client_id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    logo_url: Nullable(Type.String()),
    homepage_url: Nullable(Type.String()),
    redirect_uri: Nullable(Type.String()),
    available_scopes: Strings,
    webhook_status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    webhook_events: Strings,
  },
  { title: 'OAuthApplication' },
);

export const ScopeCatalog = Type.Record(Type.String(), Type.String(), { title: 'OAuthScopeCatalog' });

export const RegistrationRequest = Type.Object(
  {
    client_name: Type.Optional(Type.String({ maxLength: 200 })),
    client_uri: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
    logo_uri: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
    redirect_uris: Type.Array(Type.String({ format: 'uri', maxLength: 2048 }), { minItems: 1, maxItems: 20 }),
    grant_types: Type.Optional(Type.Array(Type.String(), { maxItems: 5 })),
    response_types: Type.Optional(Type.Array(Type.String(), { maxItems: 5 })),
    token_endpoint_auth_method: Type.Optional(
      Type.Union([
        Type.Literal('client_secret_post'),
        Type.Literal('client_secret_basic'),
        Type.Literal('none'),
        Type.Literal('private_key_jwt'),
      ]),
    ),
    jwks_uri: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
    token_endpoint_auth_signing_alg: Type.Optional(Type.Literal('RS256')),
  },
  { additionalProperties: true },
);

export const RegisteredClient = Type.Object(
  {
    client_id: Type.String(),
    client_id_issued_at: Type.Integer(),
    client_secret: Type.Optional(Type.String()),
    client_secret_expires_at: Type.Optional(Type.Integer()),
    client_name: Type.String(),
    client_uri: Type.Optional(Type.String()),
    logo_uri: Type.Optional(Type.String()),
    redirect_uris: Strings,
    grant_types: Strings,
    response_types: Strings,
    token_endpoint_auth_method: Type.String(),
  },
  { title: 'OAuthRegisteredClient' },
);

/**
 * Every field optional so that a missing one is answered the RFC 6749 way (400 `invalid_request`,
 * `unsupported_grant_type`) by the service rather than as a schema failure.
 */
export const TokenRequest = Type.Object(
  {
    grant_type: Str('authorization_code or refresh_token'),
    client_id: Str('OAuth client ID (or HTTP Basic).'),
    client_secret: Str('Confidential clients, unless HTTP Basic is used.'),
    client_assertion_type: Str(),
    client_assertion: Str('private_key_jwt is not supported: answered 401 invalid_client.'),
    code: Str('Authorization code, required for authorization_code.'),
    redirect_uri: Str('The redirect URI of the authorization request.'),
    code_verifier: Str('PKCE code verifier, required.'),
    refresh_token: Str('Refresh token, required for refresh_token.'),
    resource: Str('Must match the resource of the authorization request when present.'),
    scope: Str('On refresh: a narrower set of the granted scopes.'),
  },
  { additionalProperties: true },
);

export const TokenResponse = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.String(),
    scope: Type.String(),
  },
  { title: 'OAuthTokenResponse' },
);

export const TokenReference = Type.Object(
  {
    token: Str('The access or refresh token.'),
    token_type: Str('access or refresh (contract).'),
    token_type_hint: Str('access_token or refresh_token (RFC 7009/7662).'),
    client_id: Str(),
    client_secret: Str(),
  },
  { additionalProperties: true },
);

export const Introspection = Type.Object(
  {
    active: Type.Boolean(),
    client_id: Type.Optional(Type.String()),
    token_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    sub: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Integer()),
    iat: Type.Optional(Type.Integer()),
    business_unique_ids: Type.Optional(Strings),
  },
  { title: 'OAuthIntrospection' },
);

export const InstallationStatusRequest = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 512 }),
  token_type: Type.Union([Type.Literal('access'), Type.Literal('refresh')]),
  client_id: Type.String({ minLength: 1, maxLength: 200 }),
  client_secret: Type.String({ minLength: 1, maxLength: 512 }),
});

export const LaunchTokenExchangeRequest = Type.Object({
  launch_token: Type.String({ minLength: 1, maxLength: 512 }),
  client_id: Type.String({ minLength: 1, maxLength: 200 }),
  client_secret: Type.String({ minLength: 1, maxLength: 512 }),
});

export const InstallationSnapshot = Type.Object(
  {
    authorized_business_id: Type.Integer(),
    client_id: Type.String(),
    is_active: Type.Boolean(),
    is_enabled: Type.Boolean(),
    granted_scopes: Strings,
    webhook_status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
    granted_webhook_events: Strings,
    approved_billing_tags: Type.Array(
      Type.Object({
        billing_tag_id: Type.String(),
        tag_code: Type.String(),
        label: Type.String(),
        price: Type.Integer(),
        currency: Type.String(),
        action_key: Type.String(),
      }),
    ),
    application: Type.Object({ name: Type.String() }),
    manage_launch_available: Type.Boolean(),
    updated_at: Type.String({ format: 'date-time' }),
  },
  { title: 'OAuthInstallationStatus' },
);
