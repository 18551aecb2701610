import { describe, expect, it } from 'vitest';
import { inviteMember } from '../../../src/modules/businesses/service.ts';
import { createLaunchToken } from '../../../src/modules/oauth/installations.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';
import { developerApp, giveWebhook, REDIRECT_URI, tokens } from './flow.ts';

const post = (tenant: Tenant, path: string, body: unknown, headers: Record<string, string> = {}) =>
  send(tenant.ctx, 'POST', path, { body, headers });

function expectError(response: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.json()).toMatchObject({ error_code: code });
}

describe('OAuth discovery and catalog', () => {
  it('serves RFC 8414 metadata at the contract path and at the host root', async () => {
    const tenant = await createTenant('Metadata');
    const paths = [
      '/v3/oauth/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server',
      '/.well-known/oauth-authorization-server/v3/oauth',
    ];
    const documents = await Promise.all(paths.map((path) => send(tenant.ctx, 'GET', path)));
    for (const response of documents) expect(response.statusCode).toBe(200);
    const [contract, ...roots] = documents.map((response) => response.json());
    for (const root of roots) expect(root).toEqual(contract);
    expect(contract).toMatchObject({
      issuer: 'http://nexus.test/v3/oauth',
      authorization_endpoint: 'http://nexus.test/oauth/authorize',
      token_endpoint: 'http://nexus.test/v3/oauth/token',
      registration_endpoint: 'http://nexus.test/v3/oauth/register',
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    });
    expect(contract.scopes_supported).toContain('order:list');
  });

  it('lists the scope catalog with descriptions', async () => {
    const tenant = await createTenant('Scopes list');
    const catalog = (await send(tenant.ctx, 'GET', '/v3/oauth/scopes')).json();
    expect(catalog['order:list']).toContain('List business orders');
    expect(catalog['discount_code:list']).toBe('List discount codes');
  });

  it('shows the public application card for an exact redirect URI only', async () => {
    const tenant = await createTenant('App card');
    const app = await developerApp(tenant, ['order:list']);
    const cardQuery = { query: { client_id: app.client_id, redirect_uri: REDIRECT_URI } };
    // Events listed but nowhere to send them: the app's webhooks are not on.
    const before = await send(tenant.ctx, 'GET', '/v3/oauth/application', cardQuery);
    expect(before.json()).toMatchObject({ webhook_status: 'inactive', webhook_events: ['order.created'] });
    await giveWebhook(tenant, app.client_id);
    const card = await send(tenant.ctx, 'GET', '/v3/oauth/application', cardQuery);
    expect(card.statusCode).toBe(200);
    expect(card.json()).toEqual({
      client_id: app.client_id,
      name: 'Stock Sync',
      description: null,
      logo_url: null,
      homepage_url: null,
      redirect_uri: REDIRECT_URI,
      available_scopes: ['order:list'],
      webhook_status: 'active',
      webhook_events: ['order.created'],
    });
    expect(JSON.stringify(card.json())).not.toContain('secret');
    for (const query of [
      { client_id: 'nxc_unknown', redirect_uri: REDIRECT_URI },
      { client_id: app.client_id, redirect_uri: 'https://evil.example/callback' },
    ]) {
      expectError(await send(tenant.ctx, 'GET', '/v3/oauth/application', { query }), 404, 'not_found');
    }
    expectError(
      await send(tenant.ctx, 'GET', '/v3/oauth/application', { query: { client_id: app.client_id } }),
      422,
      'validation_failed',
    );
  });

  it('names the application of an access token, never its secret, and refuses API keys', async () => {
    const tenant = await createTenant('App me');
    const app = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    const me = await send(tenant.ctx, 'GET', '/v3/oauth/applications/me', {
      headers: { authorization: `Bearer ${pair.access_token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      client_id: app.client_id,
      name: 'Stock Sync',
      available_scopes: ['store:read'],
    });
    expect(me.body).not.toContain(app.client_secret!);
    expect((await tenant.request('GET', '/v3/oauth/applications/me')).statusCode).toBe(401);
  });
});

describe('POST /v3/oauth/register (RFC 7591)', () => {
  it('registers a public client by default and a confidential one on request', async () => {
    const tenant = await createTenant('DCR');
    const pub = await post(tenant, '/v3/oauth/register', {
      client_name: 'Claude',
      redirect_uris: ['http://127.0.0.1:33418/callback'],
    });
    expect(pub.statusCode).toBe(201);
    expect(pub.json()).toMatchObject({
      client_id: expect.stringMatching(/^nxc_/),
      client_name: 'Claude',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    });
    expect(pub.json().client_secret).toBeUndefined();
    const conf = await post(tenant, '/v3/oauth/register', {
      redirect_uris: ['https://platform.example/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
    });
    expect(conf.statusCode).toBe(201);
    expect(conf.json().client_secret).toMatch(/^nxs_/);
  });

  it('refuses bad redirect URIs, private_key_jwt, other grant types and a missing list', async () => {
    const tenant = await createTenant('DCR refusals');
    expectError(
      await post(tenant, '/v3/oauth/register', { redirect_uris: ['http://example.com/cb'] }),
      400,
      'invalid_redirect_uri',
    );
    expectError(
      await post(tenant, '/v3/oauth/register', { redirect_uris: ['https://example.com/cb#x'] }),
      400,
      'invalid_redirect_uri',
    );
    expectError(
      await post(tenant, '/v3/oauth/register', {
        redirect_uris: ['https://example.com/cb'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks_uri: 'https://example.com/jwks',
      }),
      400,
      'invalid_client_metadata',
    );
    expectError(
      await post(tenant, '/v3/oauth/register', {
        redirect_uris: ['https://example.com/cb'],
        grant_types: ['client_credentials'],
      }),
      400,
      'invalid_client_metadata',
    );
    expectError(await post(tenant, '/v3/oauth/register', { client_name: 'x' }), 422, 'validation_failed');
  });
});

describe('revoke and introspect', () => {
  it('introspects a live token, and revoking (JSON: 204) makes it inactive', async () => {
    const tenant = await createTenant('Introspect');
    const app = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    const client = { client_id: app.client_id, client_secret: app.client_secret! };
    const live = await post(tenant, '/v3/oauth/introspect', {
      token: pair.access_token,
      token_type: 'access',
      ...client,
    });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({
      active: true,
      client_id: app.client_id,
      scope: 'store:read',
      business_unique_ids: [tenant.business.unique_id],
    });
    const refresh = await post(tenant, '/v3/oauth/introspect', { token: pair.refresh_token, ...client });
    expect(refresh.json()).toMatchObject({ active: true, token_type: 'refresh_token' });

    const revoked = await post(tenant, '/v3/oauth/revoke', {
      token: pair.access_token,
      token_type: 'access',
      ...client,
    });
    expect(revoked.statusCode).toBe(204);
    expect(
      (await post(tenant, '/v3/oauth/introspect', { token: pair.access_token, ...client })).json(),
    ).toEqual({ active: false });
    // Revoking the refresh token (form-encoded, RFC 7009: 200) ends its family.
    const form = new URLSearchParams({
      token: pair.refresh_token,
      token_type_hint: 'refresh_token',
      ...client,
    });
    const byForm = await post(tenant, '/v3/oauth/revoke', form.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(byForm.statusCode).toBe(200);
    expect(
      (await post(tenant, '/v3/oauth/introspect', { token: pair.refresh_token, ...client })).json(),
    ).toEqual({ active: false });
  });

  it("leaves another client's tokens alone, and refuses a wrong secret", async () => {
    const tenant = await createTenant('Revoke other');
    const app = await developerApp(tenant, ['store:read']);
    const other = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    const otherClient = { client_id: other.client_id, client_secret: other.client_secret! };
    expect(
      (await post(tenant, '/v3/oauth/introspect', { token: pair.access_token, ...otherClient })).json(),
    ).toEqual({ active: false });
    expect(
      (await post(tenant, '/v3/oauth/revoke', { token: pair.access_token, ...otherClient })).statusCode,
    ).toBe(204);
    expectError(
      await post(tenant, '/v3/oauth/revoke', {
        token: pair.access_token,
        client_id: app.client_id,
        client_secret: 'bad',
      }),
      401,
      'invalid_client',
    );
    expectError(
      await post(tenant, '/v3/oauth/introspect', {
        token: pair.access_token,
        client_id: app.client_id,
        client_secret: 'bad',
      }),
      401,
      'invalid_client',
    );
    expectError(
      await post(tenant, '/v3/oauth/revoke', { client_id: app.client_id, client_secret: app.client_secret! }),
      400,
      'invalid_request',
    );
    const live = await post(tenant, '/v3/oauth/introspect', {
      token: pair.access_token,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expect(live.json().active).toBe(true);
  });
});

describe('installation status and launch tokens', () => {
  it('answers the snapshot for an access or refresh token, and follows an uninstall', async () => {
    const tenant = await createTenant('Status');
    const app = await developerApp(tenant, ['store:read']);
    await giveWebhook(tenant, app.client_id);
    const pair = await tokens(tenant, app);
    const client = { client_id: app.client_id, client_secret: app.client_secret! };
    const status = await post(tenant, '/v3/oauth/installation/status', {
      token: pair.access_token,
      token_type: 'access',
      ...client,
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      authorized_business_id: tenant.business.id,
      client_id: app.client_id,
      is_active: true,
      is_enabled: true,
      granted_scopes: ['store:read'],
      webhook_status: 'active',
      granted_webhook_events: ['order.created'],
      approved_billing_tags: [],
      application: { name: 'Stock Sync' },
      manage_launch_available: true,
      updated_at: expect.any(String),
    });
    await tenant.ctx.database.db
      .updateTable('oauth_installations')
      .set({ status: 'revoked' })
      .where('business_id', '=', tenant.business.id)
      .execute();
    const after = await post(tenant, '/v3/oauth/installation/status', {
      token: pair.refresh_token,
      token_type: 'refresh',
      ...client,
    });
    expect(after.json()).toMatchObject({ is_active: false, webhook_status: 'inactive' });
  });

  it("refuses another client's token, a wrong secret, a public client and a token of several businesses", async () => {
    const tenant = await createTenant('Status refusals');
    const app = await developerApp(tenant, ['store:read']);
    const other = await developerApp(tenant, ['store:read']);
    const pair = await tokens(tenant, app);
    expectError(
      await post(tenant, '/v3/oauth/installation/status', {
        token: pair.access_token,
        token_type: 'access',
        client_id: other.client_id,
        client_secret: other.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    expectError(
      await post(tenant, '/v3/oauth/installation/status', {
        token: pair.access_token,
        token_type: 'access',
        client_id: app.client_id,
        client_secret: 'bad',
      }),
      401,
      'invalid_client',
    );
    expectError(
      await post(tenant, '/v3/oauth/installation/status', {
        token: pair.access_token,
        token_type: 'refresh',
        client_id: app.client_id,
        client_secret: app.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    const pub = await developerApp(tenant, ['store:read'], { isPublic: true });
    const pubPair = await tokens(tenant, pub);
    expectError(
      await post(tenant, '/v3/oauth/installation/status', {
        token: pubPair.access_token,
        token_type: 'access',
        client_id: pub.client_id,
        client_secret: 'anything',
      }),
      401,
      'invalid_client',
    );
    const second = await createTenant('Status second');
    const db = tenant.ctx.database.db;
    const invited = await inviteMember(db, second.business.id, {
      email: tenant.owner.email,
      name: tenant.owner.name,
    });
    await db
      .updateTable('business_users')
      .set({ is_verified: true })
      .where('id', '=', invited.membershipId)
      .execute();
    const both = await tokens(tenant, app, {
      businessIds: [String(tenant.business.id), String(second.business.id)],
    });
    expectError(
      await post(tenant, '/v3/oauth/installation/status', {
        token: both.access_token,
        token_type: 'access',
        client_id: app.client_id,
        client_secret: app.client_secret!,
      }),
      400,
      'invalid_request',
    );
  });

  it('exchanges a launch token once, for its own client only', async () => {
    const tenant = await createTenant('Launch');
    const app = await developerApp(tenant, ['store:read']);
    const other = await developerApp(tenant, ['store:read']);
    await tokens(tenant, app);
    const launch = await createLaunchToken(tenant.ctx.database.db, tenant.business.id, app.client_id);
    expect(launch.manage_url).toBe(`https://app.example.test/manage?launch_token=${launch.launch_token}`);
    const path = '/v3/oauth/installation/launch-token/exchange';
    expectError(
      await post(tenant, path, {
        launch_token: launch.launch_token,
        client_id: other.client_id,
        client_secret: other.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    expectError(
      await post(tenant, path, {
        launch_token: launch.launch_token,
        client_id: app.client_id,
        client_secret: 'bad',
      }),
      401,
      'invalid_client',
    );
    const first = await post(tenant, path, {
      launch_token: launch.launch_token,
      client_id: app.client_id,
      client_secret: app.client_secret!,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ authorized_business_id: tenant.business.id, is_active: true });
    expectError(
      await post(tenant, path, {
        launch_token: launch.launch_token,
        client_id: app.client_id,
        client_secret: app.client_secret!,
      }),
      400,
      'invalid_grant',
    );
    await expect(
      createLaunchToken(tenant.ctx.database.db, tenant.business.id, other.client_id),
    ).rejects.toThrow(/not installed/);
  });
});
